package com.hourlyanalytics.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuotaTest {

    /** A Wednesday, an hour before midnight UTC, in the middle of a month. */
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-16T23:00:00Z"));

    private static int taken(Quota quota, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            taken += quota.tryTake() ? 1 : 0;
        }
        return taken;
    }

    @Test
    void day_servesTheLimit_thenRefusesUntilMidnightUtc() {
        Quota quota = new Quota(3, Quota.Period.DAY, clock);

        assertThat(taken(quota, 5)).isEqualTo(3);
        clock.advance(Duration.ofMinutes(59));
        assertThat(quota.tryTake()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(taken(quota, 5)).isEqualTo(3);
    }

    @Test
    void week_resetsOnMondayUtc() {
        Quota quota = new Quota(2, Quota.Period.WEEK, clock);
        taken(quota, 2);

        clock.advance(Duration.ofDays(4)); // Sunday 23:00
        assertThat(quota.tryTake()).isFalse();
        clock.advance(Duration.ofHours(1)); // Monday 00:00
        assertThat(quota.tryTake()).isTrue();
    }

    @Test
    void month_resetsOnTheFirstUtc() {
        Quota quota = new Quota(1, Quota.Period.MONTH, clock);
        quota.tryTake();

        clock.advance(Duration.ofDays(14)); // December 30
        assertThat(quota.tryTake()).isFalse();
        clock.advance(Duration.ofDays(2)); // January 1
        assertThat(quota.tryTake()).isTrue();
    }
}
