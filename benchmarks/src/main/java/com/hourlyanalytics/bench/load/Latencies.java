package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.Stats;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Response times per route, kept whole so that percentiles are exact. Each client thread owns one; merge at the end. */
final class Latencies {

    private final Map<String, long[]> samples = new TreeMap<>();
    private final Map<String, Integer> sizes = new TreeMap<>();

    void add(String route, long nanos) {
        long[] values = samples.computeIfAbsent(route, r -> new long[1024]);
        int size = sizes.getOrDefault(route, 0);
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            samples.put(route, values);
        }
        values[size] = nanos;
        sizes.put(route, size + 1);
    }

    void addAll(Latencies other) {
        other.samples.forEach((route, values) -> {
            for (int i = 0; i < other.sizes.get(route); i++) {
                add(route, values[i]);
            }
        });
    }

    Iterable<String> routes() {
        return samples.keySet();
    }

    int count(String route) {
        return sizes.getOrDefault(route, 0);
    }

    double percentileMillis(String route, double percentile) {
        return Stats.percentileMillis(Arrays.copyOf(samples.get(route), count(route)), percentile);
    }
}
