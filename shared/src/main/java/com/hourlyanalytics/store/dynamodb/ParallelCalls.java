package com.hourlyanalytics.store.dynamodb;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/** Store calls of a batch, a bounded number at once on virtual threads: enough to hide latency, few enough for one container. */
final class ParallelCalls {

    private ParallelCalls() {
    }

    /**
     * Runs {@code call} for each item on up to {@code workers} threads and returns once every started call has
     * ended; after a failure, or once the clock passes the deadline, no call starts. Returns the first failure (a
     * passed deadline is one), or null. An {@link Error} (a missing class, no memory) is thrown once every call has
     * ended, as it would be on the caller's thread: never a quiet success.
     */
    static <T> RuntimeException run(List<T> items, int workers, Deadline deadline, Consumer<T> call) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; failure.get() == null && (i = next.getAndIncrement()) < items.size(); ) {
                try {
                    deadline.check();
                    call.accept(items.get(i));
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int threads = Math.min(workers, items.size());
        if (threads <= 1) {
            worker.run();
        } else {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                IntStream.range(0, threads).forEach(w -> pool.execute(worker));
            }
        }
        Throwable first = failure.get();
        if (first instanceof Error error) {
            throw error;
        }
        return (RuntimeException) first;
    }
}
