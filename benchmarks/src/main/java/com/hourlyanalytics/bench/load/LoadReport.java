package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.http.RequestValidator;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** The load benchmark's printed figures, from what its phases measured. */
record LoadReport(LoadConfig config, PhaseResult mix, Map<String, Long> mixCalls, Latencies latencies, PhaseResult big,
                  Map<String, Long> batchCalls, Latencies getByVolume, PhaseResult floor, long hoursChecked, int problems) {

    void print(PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "mix: %,d requests in %.1f s = %,.0f requests/s (%,d POSTs = %,.0f events/s); %.0f%% POST,"
                        + " users Zipf(s=%.2f) over %,d, %.0f%% of events in the %d previous hours%n",
                mix.requests(), mix.nanos() / 1e9, mix.perSecond(mix.requests()), mix.posts(), mix.perSecond(mix.posts()),
                config.postRatio() * 100, config.zipfExponent(), config.users(), config.pastShare() * 100, config.pastHours());
        out.println("latency ms                    p50      p95      p99    count");
        for (String route : latencies.routes()) {
            out.printf(Locale.ROOT, "%-24s %8.2f %8.2f %8.2f %8d%n", route, latencies.percentileMillis(route, 50),
                    latencies.percentileMillis(route, 95), latencies.percentileMillis(route, 99), latencies.count(route));
        }
        long gets = mix.requests() - mix.posts();
        long puts = mixCalls.getOrDefault("PutItem", 0L);
        long updates = mixCalls.getOrDefault("UpdateItem", 0L);
        out.printf(Locale.ROOT, "store calls (counted at the SDK) per POST: PutItem %.3f (refused as existing %.3f),"
                        + " UpdateItem %.3f -> writes per event %.3f; per GET: BatchGetItem %.3f; all: %s%n",
                puts / (double) mix.posts(), mixCalls.getOrDefault(StoreCallCounter.REFUSED, 0L) / (double) mix.posts(),
                updates / (double) mix.posts(), (puts + updates) / (double) mix.posts(),
                mixCalls.getOrDefault("BatchGetItem", 0L) / (double) Math.max(gets, 1), mixCalls);
        if (big != null) {
            out.printf(Locale.ROOT, "batch: %,d events in %,d batches of up to %,d lines in %.1f s = %,.0f events/s;"
                            + " store calls %s = %.4f writes per event%n",
                    big.events(), big.requests(), RequestValidator.MAX_BATCH_LINES, big.nanos() / 1e9, big.perSecond(big.events()),
                    batchCalls, (batchCalls.getOrDefault("PutItem", 0L) + batchCalls.getOrDefault("UpdateItem", 0L))
                            / (double) big.events());
            double empty = getByVolume.percentileMillis(BigHourPhase.EMPTY_HOUR, 50);
            double full = getByVolume.percentileMillis(BigHourPhase.BIG_HOUR, 50);
            out.printf(Locale.ROOT, "GET p50: empty hour %.3f ms, hour holding %,d events %.3f ms: ratio %.2f (goal <= 1.1;"
                            + " Postgres rows+COUNT(DISTINCT) measured here: 0.40 ms at 1k events, 1,963 ms at 1M)%n",
                    empty, config.bigHourEvents(), full, full / empty);
        }
        double ratio = mix.perSecond(mix.requests()) / floor.perSecond(floor.requests());
        out.printf(Locale.ROOT, "floor: the same store calls straight through the SDK, %d threads: %,.0f requests/s;"
                + " service/floor = %.2f (goal >= 0.8)%n", config.clients(), floor.perSecond(floor.requests()), ratio);
        out.printf(Locale.ROOT, "exactness: %d hours read back, %s%n", hoursChecked,
                problems == 0 ? "every count equals the model" : problems + " PROBLEMS (see below)");
    }
}
