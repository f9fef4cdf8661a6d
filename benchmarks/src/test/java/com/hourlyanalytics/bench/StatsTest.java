package com.hourlyanalytics.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void percentileMillis_isNearestRankWithinAThousandth() {
        Histogram nanos = Stats.histogram();
        for (long millis = 1; millis <= 100; millis++) {
            nanos.recordValue(millis * 1_000_000);
        }

        // Nearest rank over 1..100 ms: p50 is the 50th value, p99 the 99th, p99.5 rounds up to the 100th.
        assertThat(Stats.percentileMillis(nanos, 50)).isCloseTo(50, within(0.05));
        assertThat(Stats.percentileMillis(nanos, 99)).isCloseTo(99, within(0.1));
        assertThat(Stats.percentileMillis(nanos, 99.5)).isCloseTo(100, within(0.1));
    }

    @Test
    void percentileMillis_ofEmptyHistogram_isZero() {
        assertThat(Stats.percentileMillis(Stats.histogram(), 99)).isZero();
    }

    @Test
    void median_ofEvenCount_averagesTheMiddleTwo() {
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
