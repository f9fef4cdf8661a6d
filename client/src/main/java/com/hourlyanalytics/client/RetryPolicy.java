package com.hourlyanalytics.client;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Which answers are sent again, and after how long. docs/api.md and docs/reliability.md give the rules: a 204 is
 * done; a 429 (throttled, or a used-up quota), any 5xx (the functions' 503, a gateway's 502 or 504), a 408 and no
 * answer at all (timeout, refused or broken connection) may have changed nothing or everything, so the request is
 * sent again with the same event ids, which the service counts once; any other answer (400, 422, 403, 404, 413) is
 * final and never resent. The wait before attempt n+1 is "full jitter": uniform in [0, min(maxBackoff,
 * initialBackoff * 2^(n-1))), but never shorter than the answer's {@code Retry-After} nor longer than maxBackoff.
 */
final class RetryPolicy {

    /** The status of an attempt that got no HTTP answer. */
    static final int NO_ANSWER = 0;

    enum Verdict { DELIVERED, REJECTED, RESEND }

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int maxAttempts;
    private final DoubleSupplier random;

    /** @param random uniform in [0, 1): the jitter */
    RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts, DoubleSupplier random) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    static RetryPolicy of(ClientSettings settings) {
        return new RetryPolicy(settings.initialBackoff, settings.maxBackoff, settings.maxAttempts,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    static Verdict verdict(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.DELIVERED;
        }
        if (status == NO_ANSWER || status == 408 || status == 429 || status >= 500) {
            return Verdict.RESEND;
        }
        return Verdict.REJECTED;
    }

    /** Whether a request whose attempt number {@code attempt} (from 1) failed may be sent once more. */
    boolean mayResend(int attempt) {
        return attempt < maxAttempts;
    }

    /** The wait after failed attempt number {@code attempt} (from 1). */
    Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long max = maxBackoff.toNanos();
        int doublings = Math.min(attempt - 1, 62);
        long initial = initialBackoff.toNanos();
        long ceiling = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
        long wait = (long) (random.getAsDouble() * ceiling);
        long floor = retryAfter.map(RetryPolicy::nanosOrMax).orElse(0L);
        return Duration.ofNanos(Math.min(max, Math.max(wait, floor)));
    }

    private static long nanosOrMax(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** A {@code Retry-After} header: delay-seconds, or an HTTP date (its distance from {@code now}, at least zero). */
    static Optional<Duration> retryAfter(String header, Instant now) {
        if (header == null) {
            return Optional.empty();
        }
        String value = header.trim();
        if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(value.length() > 9 ? Duration.ofSeconds(999_999_999L) : Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
