package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.Clients;
import com.hourlyanalytics.bench.ExpectedCounts;
import com.hourlyanalytics.bench.PartnerMix;
import com.hourlyanalytics.bench.Zipf;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the load benchmark's phases share: the options, the partners' mix, the model of acknowledged writes, the
 * problems found, and the client threads that run a phase.
 */
final class Workload {

    final LoadConfig config;
    final PartnerMix mix;
    final ExpectedCounts expected = new ExpectedCounts();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong randomStreams = new AtomicLong();

    Workload(LoadConfig config) {
        this.config = config;
        this.mix = new PartnerMix(new Zipf(config.users(), config.zipfExponent()), config.pastShare(), config.pastHours());
    }

    /** Each client of each phase draws its own sequence: a phase that replayed another's users would only hit the cache. */
    SplittableRandom random(int client) {
        return new SplittableRandom(config.seed() * 1_000_003 + randomStreams.incrementAndGet() * 1_000 + client);
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

    /** Runs the clients ({@link Clients}); returns the wall time, latencies go {@code into}. */
    long runClients(String phase, URI service, int clients, LongSupplier done, long total, Latencies into,
                    Clients.Body<Latencies> body) throws Exception {
        long start = System.nanoTime();
        Clients.run(phase, service, clients, done, total, () -> "  failures " + failures().size(), body).forEach(into::addAll);
        return System.nanoTime() - start;
    }
}
