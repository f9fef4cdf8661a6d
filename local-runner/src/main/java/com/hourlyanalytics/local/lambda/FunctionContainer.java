package com.hourlyanalytics.local.lambda;

import com.hourlyanalytics.local.template.ServerlessFunction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Lambda execution environment: a JVM running the function's jar under the real runtime interface client,
 * against its own {@link RuntimeApi}. One invocation at a time; the function's Timeout is enforced by killing
 * the process, after which the container is dead and its pool starts another. Its stdout and stderr lines go to
 * the logs, prefixed with the container's name.
 */
public final class FunctionContainer implements AutoCloseable {

    /**
     * Process start to the runtime's first poll. Lambda allows 10 s; locally several JVMs start at once on a
     * developer's or CI's few cores (9 s seen here for 8 at once on 2 cores), so more.
     */
    static final Duration INIT_TIMEOUT = Duration.ofSeconds(60);

    private final ServerlessFunction function;
    private final String name;
    private final PrintStream log;
    private final PrintStream requestLog;
    private final RuntimeApi api;
    private final Process process;
    private final long startNanos = System.nanoTime();
    private boolean initialized;

    /** A container whose every line goes to {@code log}. */
    public static FunctionContainer start(ServerlessFunction function, Map<String, String> variables, LambdaJavaRuntime runtime,
                                          String name, PrintStream log) {
        return start(function, variables, runtime, name, log, log);
    }

    /**
     * @param variables the function's environment variables (reserved ones are added)
     * @param log        where the function's stderr goes (errors, stack traces)
     * @param requestLog where its stdout (a log line and metrics per request) and the REPORT lines go
     */
    public static FunctionContainer start(ServerlessFunction function, Map<String, String> variables, LambdaJavaRuntime runtime,
                                          String name, PrintStream log, PrintStream requestLog) {
        try {
            return new FunctionContainer(function, variables, runtime, name, log, requestLog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start container " + name, e);
        }
    }

    private FunctionContainer(ServerlessFunction function, Map<String, String> variables, LambdaJavaRuntime runtime,
                              String name, PrintStream log, PrintStream requestLog) throws IOException {
        this.function = function;
        this.name = name;
        this.log = log;
        this.requestLog = requestLog;
        this.api = new RuntimeApi(function.logicalId());
        ProcessBuilder builder = new ProcessBuilder(runtime.command(function));
        builder.environment().clear();
        builder.environment().putAll(LambdaJavaRuntime.environment(function, variables, api.address()));
        try {
            this.process = builder.start();
        } catch (IOException e) {
            api.close();
            throw e;
        }
        process.getOutputStream().close();
        forward(process.getInputStream(), "stdout", requestLog);
        forward(process.getErrorStream(), "stderr", log);
        process.onExit().thenRun(() -> api.failAll(exitError()));
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Runs one event; the outcome is the function's response or an error payload as Lambda gives one. As in
     * Lambda, the function's Timeout counts from when the runtime takes the event; a cold container's init has
     * its own, looser bound ({@link #INIT_TIMEOUT}).
     */
    public InvocationOutcome invoke(byte[] event) {
        String requestId = UUID.randomUUID().toString();
        long timeoutMillis = function.timeoutSeconds() * 1000L;
        var invocation = api.submit(requestId, event, timeoutMillis);
        if (!process.isAlive()) {
            api.failAll(exitError());
        }
        InvocationOutcome outcome;
        try {
            try {
                invocation.delivered().get(INIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                return new InvocationOutcome.Error(error("Runtime.InitTimeout", "RequestId: " + requestId
                        + " Error: the runtime did not ask for an event within " + INIT_TIMEOUT.toSeconds() + " s of starting"));
            } catch (ExecutionException e) {
                // Never completed exceptionally; the outcome below is already set when the process died first.
            }
            outcome = invocation.outcome().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            process.destroyForcibly();
            outcome = new InvocationOutcome.Error(error("Sandbox.Timedout", "RequestId: " + requestId
                    + " Error: Task timed out after " + function.timeoutSeconds() + ".00 seconds"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while " + name + " ran " + requestId, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        report(requestId);
        return outcome;
    }

    /**
     * Lambda's REPORT line (Duration: from the runtime taking the event to its answer; Init Duration: process start
     * to the runtime's first poll), plus on a cold start the time from process start to the first answer.
     */
    private void report(String requestId) {
        long now = System.nanoTime();
        long delivered = api.lastDeliveredNanos();
        String line = String.format(Locale.ROOT, "REPORT RequestId: %s Duration: %.2f ms", requestId,
                delivered == 0 ? 0.0 : (now - delivered) / 1e6);
        if (!initialized) {
            initialized = true;
            long firstPoll = api.firstPollNanos();
            line += String.format(Locale.ROOT, " Init Duration: %.2f ms Cold start: %d ms (process start to first answer)",
                    firstPoll == 0 ? 0.0 : (firstPoll - startNanos) / 1e6, (now - startNanos) / 1_000_000);
        }
        requestLog.println("[" + name + "] " + line);
    }

    private byte[] exitError() {
        byte[] initError = api.initError();
        if (initError != null) {
            return initError;
        }
        String status = process.isAlive() ? "running" : "exit status " + process.exitValue();
        return error("Runtime.ExitError", "Runtime exited with error: " + status);
    }

    static byte[] error(String type, String message) {
        return ("{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private void forward(InputStream stream, String what, PrintStream to) {
        Thread.ofVirtual().name(name + "-" + what).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    to.println("[" + name + "] " + line);
                }
            } catch (IOException ignored) {
                // The process ended.
            }
        });
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        api.close();
    }
}
