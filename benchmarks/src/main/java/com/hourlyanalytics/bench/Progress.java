package com.hourlyanalytics.bench;

import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** While a phase runs, a line on stderr every 2 s: phase, seconds, done of total, rate, and any extra. */
public final class Progress implements AutoCloseable {

    private static final long INTERVAL_MILLIS = 2_000;

    private final Thread printer;

    private Progress(Thread printer) {
        this.printer = printer;
    }

    /** @param total what {@code done} counts up to; 0 where there is no fixed total */
    public static Progress start(String phase, LongSupplier done, long total, Supplier<String> extra) {
        long start = System.nanoTime();
        Thread printer = Thread.ofPlatform().daemon().name("progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(INTERVAL_MILLIS);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long count = done.getAsLong();
                    System.err.printf(Locale.ROOT, "[%s] %5.1f s  %,d%s  (%,.0f/s)%s%n", phase, seconds, count,
                            total > 0 ? String.format(Locale.ROOT, " / %,d", total) : "", count / seconds, extra.get());
                }
            } catch (InterruptedException stop) {
                // The phase is over.
            }
        });
        return new Progress(printer);
    }

    public static Progress start(String phase, LongSupplier done, long total) {
        return start(phase, done, total, () -> "");
    }

    @Override
    public void close() {
        printer.interrupt();
    }
}
