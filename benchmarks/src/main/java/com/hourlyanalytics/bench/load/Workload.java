package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.Progress;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the load benchmark's phases share: the options, the model of acknowledged writes, the problems found,
 * the random draws of times, users and types, and the client threads that run a phase.
 */
final class Workload {

    static final long HOUR_MILLIS = Hour.MILLIS_PER_HOUR;

    final LoadConfig config;
    final ExpectedCounts expected = new ExpectedCounts();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong randomStreams = new AtomicLong();

    Workload(LoadConfig config) {
        this.config = config;
    }

    /** The timestamp and hour of one event or read: ~95% now, the rest somewhere in the previous hours. */
    long[] pickTime(SplittableRandom random) {
        long now = System.currentTimeMillis();
        if (random.nextDouble() >= config.pastShare()) {
            return new long[] {now, Hour.containing(now).index()};
        }
        long hour = Hour.containing(now).index() - 1 - random.nextInt(config.pastHours());
        return new long[] {hour * HOUR_MILLIS + random.nextLong(HOUR_MILLIS), hour};
    }

    /** Each client of each phase draws its own sequence: a phase that replayed another's users would only hit the cache. */
    SplittableRandom random(int client) {
        return new SplittableRandom(config.seed() * 1_000_003 + randomStreams.incrementAndGet() * 1_000 + client);
    }

    static EventType pickType(SplittableRandom random) {
        return random.nextInt(4) == 0 ? EventType.CLICK : EventType.IMPRESSION;
    }

    void fail(String problem) {
        synchronized (failures) {
            failures.add(problem);
        }
    }

    List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    interface Client {
        /** @param api this client's own connection to the service (opened on first use; unused by the floor) */
        Latencies run(int client, LoadApi api) throws Exception;
    }

    /** Runs the clients on platform threads with a progress line every 2 s; returns the wall time, latencies go {@code into}. */
    long runClients(String phase, URI service, int clients, LongSupplier done, long total, Latencies into, Client body)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try (Progress progress = Progress.start(phase, done, total, () -> "  failures " + failures().size())) {
            List<Future<Latencies>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit((Callable<Latencies>) () -> {
                    try (LoadApi api = new LoadApi(service)) {
                        return body.run(client, api);
                    }
                }));
            }
            for (Future<Latencies> client : running) {
                into.addAll(client.get());
            }
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }
}
