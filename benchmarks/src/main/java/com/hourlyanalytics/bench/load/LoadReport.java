package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.StoreCalls;
import com.hourlyanalytics.http.RequestValidator;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The load benchmark's printed figures, from what its phases measured. */
record LoadReport(LoadConfig config, PhaseResult mix, StoreCalls.Sums mixCalls, Latencies latencies, PhaseResult big,
                  StoreCalls.Sums batchCalls, Latencies getByVolume, List<StoreCalls.Sums> readsByVolume, PhaseResult floor,
                  long hoursChecked, int problems) {

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
        long gets = Math.max(mix.requests() - mix.posts(), 1);
        out.printf(Locale.ROOT, "store calls (counted at the SDK) per POST: %s, transactions cancelled %.3f; per GET: BatchGetItem %.3f%n",
                perRequest(mixCalls, mix.posts(), "BatchGetItem"), mixCalls.cancelled() / (double) mix.posts(),
                mixCalls.calls("BatchGetItem") / (double) gets);
        if (big != null) {
            out.printf(Locale.ROOT, "batch: %,d events in %,d batches of up to %,d lines in %.1f s = %,.0f events/s;"
                            + " store calls per batch: %s%n",
                    big.events(), big.requests(), RequestValidator.MAX_BATCH_LINES, big.nanos() / 1e9, big.perSecond(big.events()),
                    perRequest(batchCalls, big.requests(), ""));
            double empty = getByVolume.percentileMillis(BigHourPhase.EMPTY_HOUR, 50);
            double full = getByVolume.percentileMillis(BigHourPhase.BIG_HOUR, 50);
            StoreCalls.Sums emptyReads = readsByVolume.get(0);
            StoreCalls.Sums fullReads = readsByVolume.get(1);
            out.printf(Locale.ROOT, "GET p50: empty hour %.3f ms (BatchGetItem %d, %.0f read units), hour holding %,d events"
                            + " %.3f ms (BatchGetItem %d, %.0f read units): ratio %.2f (goal <= 1.1)%n",
                    empty, emptyReads.calls("BatchGetItem"), emptyReads.readUnits(), config.bigHourEvents(), full,
                    fullReads.calls("BatchGetItem"), fullReads.readUnits(), full / empty);
        }
        double ratio = mix.perSecond(mix.requests()) / floor.perSecond(floor.requests());
        out.printf(Locale.ROOT, "floor: the same store calls straight through the SDK, %d threads: %,.0f requests/s;"
                + " service/floor = %.2f (goal >= 0.8)%n", config.clients(), floor.perSecond(floor.requests()), ratio);
        out.printf(Locale.ROOT, "exactness: %d hours read back, %s%n", hoursChecked,
                problems == 0 ? "every count equals the model" : problems + " PROBLEMS (see below)");
    }

    /** Each operation's calls per request, but {@code except}. */
    private static String perRequest(StoreCalls.Sums sums, long requests, String except) {
        return sums.calls().entrySet().stream().filter(call -> !call.getKey().equals(except))
                .map(call -> String.format(Locale.ROOT, "%s %.3f", call.getKey(), call.getValue() / (double) Math.max(requests, 1)))
                .collect(Collectors.joining(", "));
    }
}
