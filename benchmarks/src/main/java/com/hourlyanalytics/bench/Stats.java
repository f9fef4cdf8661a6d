package com.hourlyanalytics.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The few statistics the benchmarks print. */
public final class Stats {

    private Stats() {
    }

    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Nearest-rank percentile of nanosecond samples, in milliseconds. */
    public static double percentileMillis(long[] nanos, double percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return millis(percentile(sorted, percentile));
    }

    /** Nearest-rank percentile (0-100) of sorted values: the smallest with that share at or below it; 0 if none. */
    public static long percentile(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public static double millis(long nanos) {
        return nanos / 1e6;
    }

    public static String format(double millis) {
        return String.format(Locale.ROOT, "%.2f", millis);
    }
}
