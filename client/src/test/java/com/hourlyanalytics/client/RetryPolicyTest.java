package com.hourlyanalytics.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Duration INITIAL = Duration.ofMillis(250);
    private static final Duration MAX = Duration.ofSeconds(30);

    /** A policy whose jitter always draws {@code draw} (uniform in [0, 1) in production). */
    private static RetryPolicy drawing(double draw) {
        return new RetryPolicy(INITIAL, MAX, 16, () -> draw);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204})
    void verdict_success_isDelivered(int status) {
        assertThat(RetryPolicy.verdict(status)).isEqualTo(RetryPolicy.Verdict.DELIVERED);
    }

    @ParameterizedTest
    @ValueSource(ints = {RetryPolicy.NO_ANSWER, 408, 429, 500, 502, 503, 504})
    void verdict_throttledFailedOrUnanswered_isResent(int status) {
        assertThat(RetryPolicy.verdict(status)).isEqualTo(RetryPolicy.Verdict.RESEND);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 400, 403, 404, 405, 413, 422})
    void verdict_anyOtherAnswer_isFinal_neverResent(int status) {
        assertThat(RetryPolicy.verdict(status)).isEqualTo(RetryPolicy.Verdict.REJECTED);
    }

    @Test
    void mayResend_untilMaxAttemptsWereMade() {
        RetryPolicy policy = new RetryPolicy(INITIAL, MAX, 3, () -> 0.5);

        assertThat(policy.mayResend(1)).isTrue();
        assertThat(policy.mayResend(2)).isTrue();
        assertThat(policy.mayResend(3)).isFalse();
    }

    @Test
    void backoff_ceilingDoublesFromInitial_thenStaysAtMax() {
        RetryPolicy top = drawing(1.0);

        assertThat(top.backoff(1, Optional.empty())).isEqualTo(Duration.ofMillis(250));
        assertThat(top.backoff(2, Optional.empty())).isEqualTo(Duration.ofMillis(500));
        assertThat(top.backoff(5, Optional.empty())).isEqualTo(Duration.ofMillis(4_000));
        assertThat(top.backoff(8, Optional.empty())).isEqualTo(MAX);
        assertThat(top.backoff(1_000, Optional.empty())).isEqualTo(MAX);
    }

    @Test
    void backoff_isFullJitter_aFractionOfTheCeiling_downToZero() {
        assertThat(drawing(0.0).backoff(6, Optional.empty())).isEqualTo(Duration.ZERO);
        assertThat(drawing(0.25).backoff(6, Optional.empty())).isEqualTo(Duration.ofSeconds(2));
        assertThat(drawing(0.999).backoff(20, Optional.empty())).isLessThan(MAX).isGreaterThan(Duration.ofSeconds(29));
    }

    @Test
    void backoff_neverShorterThanRetryAfter() {
        assertThat(drawing(0.0).backoff(1, Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(1));
        assertThat(drawing(1.0).backoff(1, Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(1));
        // a longer jittered wait stays longer
        assertThat(drawing(0.5).backoff(8, Optional.of(Duration.ofSeconds(1)))).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void backoff_retryAfterLongerThanMax_isCutToMax() {
        assertThat(drawing(0.0).backoff(1, Optional.of(Duration.ofHours(1)))).isEqualTo(MAX);
        assertThat(drawing(0.0).backoff(1, Optional.of(Duration.ofSeconds(Long.MAX_VALUE)))).isEqualTo(MAX);
    }

    @Test
    void retryAfter_deltaSeconds() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        assertThat(RetryPolicy.retryAfter("1", now)).hasValue(Duration.ofSeconds(1));
        assertThat(RetryPolicy.retryAfter(" 120 ", now)).hasValue(Duration.ofSeconds(120));
        assertThat(RetryPolicy.retryAfter("0", now)).hasValue(Duration.ZERO);
        assertThat(RetryPolicy.retryAfter("99999999999999999999", now)).hasValueSatisfying(d -> assertThat(d).isGreaterThan(MAX));
    }

    @Test
    void retryAfter_httpDate_isItsDistanceFromNow_neverNegative() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");

        assertThat(RetryPolicy.retryAfter("Mon, 07 Dec 2026 10:00:05 GMT", now)).hasValue(Duration.ofSeconds(5));
        assertThat(RetryPolicy.retryAfter("Mon, 07 Dec 2026 09:59:00 GMT", now)).hasValue(Duration.ZERO);
    }

    @Test
    void retryAfter_missingOrUnreadable_isNone() {
        Instant now = Instant.now();

        assertThat(RetryPolicy.retryAfter(null, now)).isEmpty();
        assertThat(RetryPolicy.retryAfter("", now)).isEmpty();
        assertThat(RetryPolicy.retryAfter("soon", now)).isEmpty();
        assertThat(RetryPolicy.retryAfter("-1", now)).isEmpty();
        assertThat(RetryPolicy.retryAfter("1.5", now)).isEmpty();
    }
}
