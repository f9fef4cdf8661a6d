package com.hourlyanalytics.local.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * API Gateway's throttle: a bucket of {@code burst} tokens, refilled at {@code ratePerSecond}, one token per
 * request; an empty bucket means 429. Starts full.
 */
public final class TokenBucket {

    private final double ratePerSecond;
    private final double burst;
    private final Clock clock;
    private double tokens;
    private Instant refilled;

    public TokenBucket(double ratePerSecond, int burst, Clock clock) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("a throttle needs a rate above 0 and a burst of at least 1");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.refilled = clock.instant();
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryTake() {
        Instant now = clock.instant();
        if (now.isAfter(refilled)) {
            double seconds = Duration.between(refilled, now).toNanos() / 1e9;
            tokens = Math.min(burst, tokens + seconds * ratePerSecond);
            refilled = now;
        }
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Gives back a token taken for a request that a later check refused, so that it costs nothing. */
    public synchronized void giveBack() {
        tokens = Math.min(burst, tokens + 1);
    }
}
