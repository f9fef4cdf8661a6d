package com.hourlyanalytics.it.runner;

import com.hourlyanalytics.local.LocalRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./run --port P --data DIR [--lambda]} as a real process: the same {@code java -jar local-runner.jar} command
 * the script execs (without its build step, which failsafe has already done), to be stopped by signals. Its address is
 * the one its {@code ready:} line names, so that port 0 (any free port) serves every test that does not restart it.
 */
public final class RunnerProcess {

    /** Above the ports services usually take. */
    private static final int LOWEST_PORT = 10_000;

    private final RunnerJar runner;
    private final Process process;

    private RunnerProcess(RunnerJar runner) {
        this.runner = runner;
        this.process = runner.process();
    }

    /** Every line the runner has written to stdout and stderr so far (all of them once it has exited). */
    public List<String> output() throws InterruptedException {
        return runner.output();
    }

    public static RunnerProcess start(int port, Path dataDir, LocalRunner.Mode mode) throws Exception {
        return start(port, dataDir, mode, List.of(), Map.of());
    }

    /** On a free port the runner picks itself, with more options and environment variables. */
    public static RunnerProcess start(Path dataDir, LocalRunner.Mode mode, List<String> options,
                                      Map<String, String> environment) throws Exception {
        return start(0, dataDir, mode, options, environment);
    }

    /** With more options ({@code --api-key ...}) and environment variables (e.g. DYNAMODB_ENDPOINT). */
    public static RunnerProcess start(int port, Path dataDir, LocalRunner.Mode mode, List<String> options,
                               Map<String, String> environment) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--port", Integer.toString(port), "--data", dataDir.toString(),
                mode == LocalRunner.Mode.LAMBDA ? "--lambda" : "--in-process"));
        arguments.addAll(options);
        return new RunnerProcess(RunnerJar.start(arguments, environment));
    }

    /**
     * A free port for a runner that is started again on the same port: one below the kernel's ephemeral range
     * (ip_local_port_range), so that while the runner is down neither a bind to port 0 nor an outgoing connection, of
     * this JVM or of another test JVM running beside it, takes the port.
     */
    public static int freePort() {
        int ephemeralLow = ephemeralLow();
        for (int attempt = 0; ephemeralLow > LOWEST_PORT + 1_000 && attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, ephemeralLow);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // Another service's: draw again.
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first port of the kernel's ephemeral range; Linux's default where it cannot be read. */
    private static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    public URI base() {
        return runner.base();
    }

    /** SIGTERM (what Ctrl-C and service managers send); true if it exited within the bound. */
    public boolean terminate(Duration bound) throws InterruptedException {
        process.destroy();
        return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: no shutdown hook runs; its emulator must still go. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The processes the runner has started and that still run: its emulator and, with --lambda, its containers. */
    List<ProcessHandle> descendants() {
        return process.toHandle().descendants().toList();
    }

    /** The function containers among {@code processes}: JVMs running the Lambda runtime client. */
    static List<ProcessHandle> containers(List<ProcessHandle> processes) {
        return processes.stream()
                .filter(p -> readCommandLine(Path.of("/proc", Long.toString(p.pid()), "cmdline"))
                        .contains("com.amazonaws.services.lambda.runtime.api.client.AWSLambda"))
                .toList();
    }

    /** Those of {@code processes} still alive, polled until none is or the bound passes. */
    static List<ProcessHandle> survivors(List<ProcessHandle> processes, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            alive = alive.stream().filter(ProcessHandle::isAlive).toList();
        }
        return alive;
    }

    /** Command lines of live dynalite processes serving {@code dataDir}, polled until none is left or the bound passes. */
    static List<String> emulatorsServing(Path dataDir, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> found = scanEmulators(dataDir);
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = scanEmulators(dataDir);
        }
        return found;
    }

    private static List<String> scanEmulators(Path dataDir) {
        String dir = dataDir.toAbsolutePath().toString();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .map(p -> readCommandLine(p.resolve("cmdline")))
                    .filter(cmd -> cmd.contains("dynalite-server.js") && cmd.contains(dir))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readCommandLine(Path cmdline) {
        try {
            return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return ""; // the process ended while we looked
        }
    }
}
