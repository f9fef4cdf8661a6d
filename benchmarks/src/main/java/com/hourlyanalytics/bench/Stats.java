package com.hourlyanalytics.bench;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The statistics the benchmarks print. Every latency figure comes from an HdrHistogram of nanoseconds at 3
 * significant digits, read as a nearest-rank percentile: the smallest recorded value with that share of the
 * samples at or below it, reported as the top of its bucket (at most 0.1% above the exact value).
 */
public final class Stats {

    private static final int SIGNIFICANT_DIGITS = 3;

    private Stats() {
    }

    /** A histogram for one thread's latencies (auto-resizing, so any duration fits). */
    public static Histogram histogram() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    /** For latencies recorded by many threads at once, read interval by interval. */
    public static Recorder recorder() {
        return new Recorder(SIGNIFICANT_DIGITS);
    }

    /** Nearest-rank percentile (0-100) of a histogram of nanoseconds, in milliseconds; 0 if it is empty. */
    public static double percentileMillis(Histogram nanos, double percentile) {
        return nanos.getTotalCount() == 0 ? 0 : millis(nanos.getValueAtPercentile(percentile));
    }

    /** Median of a few whole-run figures (not latencies: those are histograms). */
    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double millis(long nanos) {
        return nanos / 1e6;
    }
}
