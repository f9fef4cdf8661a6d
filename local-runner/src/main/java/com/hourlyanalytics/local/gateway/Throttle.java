package com.hourlyanalytics.local.gateway;

import java.time.Clock;
import java.util.Locale;

/** A throttle's settings as API Gateway takes them: a steady rate per second and a burst, one token per request. */
public record Throttle(double rateLimit, int burstLimit) {

    public Throttle {
        if (!(rateLimit > 0) || burstLimit < 1) {
            throw new IllegalArgumentException("a throttle needs a rate above 0 and a burst of at least 1");
        }
    }

    /** A full bucket of these settings. */
    TokenBucket bucket(Clock clock) {
        return new TokenBucket(rateLimit, burstLimit, clock);
    }

    String describe() {
        String rate = rateLimit == Math.rint(rateLimit) ? Long.toString((long) rateLimit) : Double.toString(rateLimit);
        return String.format(Locale.ROOT, "%s req/s, burst %d", rate, burstLimit);
    }
}
