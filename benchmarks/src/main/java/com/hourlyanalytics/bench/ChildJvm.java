package com.hourlyanalytics.bench;

import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one measurement in a fresh JVM (nothing loaded, nothing JIT-compiled: a cold start) and reads back
 * the line it prints as {@code RESULT key=value ...}.
 */
public final class ChildJvm {

    public static final String RESULT = "RESULT";
    /** The JVM flags Lambda's java21 runtime sets by default: the children run as Lambda would (one definition, the runner's). */
    public static final List<String> LAMBDA_JAVA21_OPTIONS = LambdaJavaRuntime.JAVA21_JVM_OPTIONS;
    private static final long TIMEOUT_SECONDS = 120;

    private ChildJvm() {
    }

    /** What the child printed after RESULT, plus {@code spawnNanos}: System.nanoTime() just before it started. */
    public static Map<String, String> run(List<String> jvmOptions, String classpath, String mainClass,
                                          List<String> args, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            long spawn = System.nanoTime();
            Process process = builder.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("child JVM failed: " + String.join(" ", command) + "\n" + output);
            }
            Map<String, String> result = parse(output);
            result.put("spawnNanos", Long.toString(spawn));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** For the child: one line the parent parses. */
    public static void report(Map<String, ?> values) {
        StringBuilder line = new StringBuilder(RESULT);
        values.forEach((key, value) -> line.append(' ').append(key).append('=').append(value));
        System.out.println(line);
    }

    private static Map<String, String> parse(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith(RESULT + " ")) {
                Map<String, String> values = new LinkedHashMap<>();
                for (String pair : line.substring(RESULT.length() + 1).split(" ")) {
                    int equals = pair.indexOf('=');
                    values.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
                return values;
            }
        }
        throw new IllegalStateException("child printed no " + RESULT + " line:\n" + output);
    }
}
