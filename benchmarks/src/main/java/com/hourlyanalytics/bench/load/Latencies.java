package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.Stats;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** Response times per route, one histogram each. Each client thread owns one; merge at the end. */
final class Latencies {

    private final Map<String, Histogram> routes = new TreeMap<>();

    void add(String route, long nanos) {
        routes.computeIfAbsent(route, r -> Stats.histogram()).recordValue(nanos);
    }

    void addAll(Latencies other) {
        other.routes.forEach((route, histogram) -> routes.computeIfAbsent(route, r -> Stats.histogram()).add(histogram));
    }

    Iterable<String> routes() {
        return routes.keySet();
    }

    long count(String route) {
        return routes.containsKey(route) ? routes.get(route).getTotalCount() : 0;
    }

    double percentileMillis(String route, double percentile) {
        return Stats.percentileMillis(routes.get(route), percentile);
    }
}
