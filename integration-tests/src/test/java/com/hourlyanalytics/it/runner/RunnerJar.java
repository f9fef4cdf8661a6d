package com.hourlyanalytics.it.runner;

import com.hourlyanalytics.testing.ApiEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar local-runner.jar ARGS}, as {@code ./run} execs it, with its exit status and every line it wrote
 * (stdout and stderr): any command line, including those that never get ready. {@link RunnerProcess} is the
 * {@code --data} runner the restart tests signal, on top of it.
 */
final class RunnerJar {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> lines;
    private final Thread reader;
    private final CompletableFuture<URI> ready = new CompletableFuture<>();

    private RunnerJar(List<String> arguments, Map<String, String> environment) throws IOException {
        Path root = ApiEvents.repoRoot();
        Path jar = root.resolve("local-runner/target/local-runner.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn package' first (mvn verify does)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Drepo.root=" + root, "-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        process = builder.start();
        lines = Collections.synchronizedList(new ArrayList<>());
        reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = output.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("ready: ")) {
                        ready.complete(URI.create(line.substring("ready: ".length()).split("/analytics")[0]));
                    }
                }
            } catch (IOException ignored) {
                // The pipe closes when the process dies; the future says so.
            }
            ready.completeExceptionally(new IllegalStateException("the runner exited before it was ready:\n" + String.join("\n", lines)));
        }, "runner-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Started and ready to serve. */
    static RunnerJar start(List<String> arguments) throws Exception {
        return start(arguments, Map.of());
    }

    /** Started with more environment variables (e.g. DYNAMODB_ENDPOINT), and ready to serve. */
    static RunnerJar start(List<String> arguments, Map<String, String> environment) throws Exception {
        RunnerJar runner = new RunnerJar(arguments, environment);
        try {
            runner.ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return runner;
        } catch (Exception e) {
            runner.process.destroyForcibly();
            throw e;
        }
    }

    /** Run to its end (killed past {@code bound}); its exit status. */
    static RunnerJar run(List<String> arguments, Duration bound) throws Exception {
        RunnerJar runner = new RunnerJar(arguments, Map.of());
        if (!runner.process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            runner.process.destroyForcibly();
            throw new AssertionError("still running after " + bound + ":\n" + runner.output());
        }
        return runner;
    }

    URI base() {
        return ready.join();
    }

    Process process() {
        return process;
    }

    /** Its exit status, once it has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** Every line so far; all of them once it has exited. */
    List<String> output() throws InterruptedException {
        if (!process.isAlive()) {
            reader.join(10_000);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** SIGTERM, as Ctrl-C; waits for the exit. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor(15, TimeUnit.SECONDS);
    }
}
