package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.testing.SettableClock;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConflictBackoffTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T10:00:00Z"));

    @Test
    void ceilingMillis_doublesFromTheBase_upToTheCap() {
        assertThat(IntStream.rangeClosed(1, 8).mapToLong(ConflictBackoff::ceilingMillis).toArray())
                .containsExactly(10, 20, 40, 80, 160, 200, 200, 200);
    }

    @Test
    void pause_afterTheLastAttempt_answersTransactionConflict() {
        ConflictBackoff backoff = new ConflictBackoff(new Spread());

        assertThatThrownBy(() -> backoff.pause(ConflictBackoff.MAX_ATTEMPTS, new Deadline(clock, Long.MAX_VALUE, ConflictBackoff.MAX_ATTEMPTS)))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(StoreErrorCode.TRANSACTION_CONFLICT));
    }

    @Test
    void pause_deadlinePassedMeanwhile_sendsNothingMore() {
        ConflictBackoff backoff = new ConflictBackoff(new Spread());

        assertThatThrownBy(() -> backoff.pause(1, new Deadline(clock, clock.millis() - 1, ConflictBackoff.MAX_ATTEMPTS)))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(StoreErrorCode.BATCH_DEADLINE));
    }
}
