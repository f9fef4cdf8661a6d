package com.hourlyanalytics.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));

    private static int taken(TokenBucket bucket, int tries) {
        int taken = 0;
        for (int i = 0; i < tries; i++) {
            taken += bucket.tryTake() ? 1 : 0;
        }
        return taken;
    }

    @Test
    void fullBucket_servesTheBurstAtOnce_thenRefuses() {
        TokenBucket bucket = new TokenBucket(5, 10, clock);

        assertThat(taken(bucket, 15)).isEqualTo(10);
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void emptyBucket_refillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(5, 10, clock);
        taken(bucket, 10);

        clock.advance(Duration.ofMillis(199));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(taken(bucket, 10)).isEqualTo(5);
    }

    @Test
    void longIdle_refillsToTheBurstOnly() {
        TokenBucket bucket = new TokenBucket(5, 10, clock);
        taken(bucket, 10);

        clock.advance(Duration.ofHours(1));

        assertThat(taken(bucket, 100)).isEqualTo(10);
    }

    @Test
    void fractionalRate_refillsOneTokenPerInterval() {
        TokenBucket bucket = new TokenBucket(0.5, 1, clock);
        assertThat(bucket.tryTake()).isTrue();

        clock.advance(Duration.ofMillis(1999));
        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(bucket.tryTake()).isTrue();
    }

    @Test
    void givenBackToken_servesTheNextRequest() {
        TokenBucket bucket = new TokenBucket(1, 1, clock);
        bucket.tryTake();

        bucket.giveBack();

        assertThat(bucket.tryTake()).isTrue();
        bucket.giveBack();
        bucket.giveBack();
        assertThat(taken(bucket, 3)).as("never above the burst").isEqualTo(1);
    }

    @Test
    void zeroRateOrBurst_isRefused() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
