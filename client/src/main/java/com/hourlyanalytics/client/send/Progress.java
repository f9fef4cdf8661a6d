package com.hourlyanalytics.client.send;

import com.hourlyanalytics.client.AnalyticsClient;
import java.io.PrintStream;
import java.util.OptionalLong;

/** A line on stderr every few seconds while a long input is sent: lines read (and how far through the file), outcomes. */
final class Progress {

    private static final long PERIOD_MILLIS = 2_000;

    private final Thread thread;

    private Progress(Thread thread) {
        this.thread = thread;
    }

    /** @param size the input's size in bytes, if it is a file */
    static Progress start(LineTracker lines, LineReader reader, OptionalLong size, AnalyticsClient client, PrintStream err) {
        Thread thread = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(PERIOD_MILLIS);
                    String through = size.isPresent() && size.getAsLong() > 0
                            ? String.format(" (%d%% of the input)", 100 * reader.bytesRead() / size.getAsLong()) : "";
                    err.printf("send: %d lines read%s, %d delivered, %d rejected, %d not delivered, %d requests resent%n",
                            lines.read(), through, lines.delivered(), lines.rejected(), lines.dropped(), client.stats().retries());
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }, "send-progress");
        thread.setDaemon(true);
        thread.start();
        return new Progress(thread);
    }

    void stop() throws InterruptedException {
        thread.interrupt();
        thread.join();
    }
}
