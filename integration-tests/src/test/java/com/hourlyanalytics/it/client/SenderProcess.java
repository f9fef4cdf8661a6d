package com.hourlyanalytics.it.client;

import com.hourlyanalytics.testing.ApiEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./send ARGS} as a real process: the {@code java -jar client/target/analytics-client.jar} command the script
 * execs (without its build step, which the reactor has done), so that a test can SIGKILL it halfway.
 */
final class SenderProcess {

    private final Process process;
    private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> readers = new ArrayList<>();

    private SenderProcess(Process process) {
        this.process = process;
        readers.add(reader(process.getInputStream(), stdout));
        readers.add(reader(process.getErrorStream(), stderr));
    }

    static SenderProcess start(String... args) throws IOException {
        Path jar = ApiEvents.repoRoot().resolve("client/target/analytics-client.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run 'mvn package' first (mvn verify does)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        return new SenderProcess(new ProcessBuilder(command).start());
    }

    private static Thread reader(java.io.InputStream stream, List<String> lines) {
        Thread thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process died; what was read is kept
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no summary; events queued or in a request go with it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the exit (at most {@code seconds}) and returns its status. */
    int exitStatus(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./send still ran after " + seconds + " s; stderr: " + stderr);
        }
        for (Thread reader : readers) {
            reader.join(10_000);
        }
        return process.exitValue();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }
}
