package com.hourlyanalytics.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a dynalite child prints: its ready line (port and transaction window), then only news, passed on to stderr. */
final class DynaliteOutput {

    private static final Pattern READY = Pattern.compile("dynalite listening on port (\\d+), transaction window (\\d+) ms");
    private static final long START_TIMEOUT_SECONDS = 30;

    private DynaliteOutput() {
    }

    /** Its ready line's port (group 1) and window (group 2); what it said instead if it exited first. */
    static MatchResult awaitReady(Process process) {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<MatchResult> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                for (String line; (line = output.readLine()) != null; ) {
                    Matcher matcher = READY.matcher(line);
                    if (matcher.find()) {
                        ready.complete(matcher.toMatchResult());
                    } else if (!ready.isDone()) {
                        seen.append(line).append('\n');
                    } else {
                        // Anything it says later is news (a crash's stack trace): pass it on.
                        System.err.println("dynalite: " + line);
                    }
                }
            } catch (IOException ignored) {
                // The pipe closes when the child exits; the future below reports that.
            }
            ready.completeExceptionally(new IllegalStateException("dynalite exited before it was ready:\n" + seen));
        }, "dynalite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (TimeoutException | InterruptedException e) {
            process.destroyForcibly();
            throw new IllegalStateException("dynalite did not start within " + START_TIMEOUT_SECONDS + " s", e);
        }
    }
}
