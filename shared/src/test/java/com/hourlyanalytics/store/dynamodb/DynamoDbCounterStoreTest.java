package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.RequestValidator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DynamoDbCounterStoreTest {

    private static final Hour HOUR = new Hour(494_482);

    @Test
    void counterUpdate_newUserClick_addsClickAndUniqueUser() {
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(1, 1, 0))).isEqualTo("ADD unique_users :unique_users, clicks :clicks");
    }

    @Test
    void counterUpdate_repeatUserImpression_addsImpressionOnly() {
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(0, 0, 1))).isEqualTo("ADD impressions :impressions");
    }

    @Test
    void counterUpdate_batchTotals_addsEveryNonZeroCount() {
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(3, 5, 8)))
                .isEqualTo("ADD unique_users :unique_users, clicks :clicks, impressions :impressions");
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(2, 0, 0))).isEqualTo("ADD unique_users :unique_users");
    }

    @Test
    void markerKey_userIdThatLooksLikeAKey_cannotCollideWithAnotherHour() {
        // Hour 1 with user "2#x" and hour 12 with user "x" would collide under a naive "<hour><user>" format.
        assertThat(DynamoDbCounterStore.markerKey(new Hour(1), "2#x"))
                .isEqualTo("user#1#2#x")
                .isNotEqualTo(DynamoDbCounterStore.markerKey(new Hour(12), "x"));
        assertThat(DynamoDbCounterStore.markerKey(new Hour(1), "x")).isNotEqualTo(DynamoDbCounterStore.counterKey(new Hour(1)));
    }

    @Test
    void counterKey_namesTheHourIndex() {
        assertThat(DynamoDbCounterStore.counterKey(Hour.containing(10_032_342_000L))).isEqualTo("hour#2786");
    }

    @Test
    void counterKey_shardZeroIsTheUnshardedKey_othersAppendTheShard() {
        assertThat(DynamoDbCounterStore.counterKey(HOUR, 0)).isEqualTo("hour#494482").isEqualTo(DynamoDbCounterStore.counterKey(HOUR));
        assertThat(DynamoDbCounterStore.counterKey(HOUR, 7)).isEqualTo("hour#494482#7");
    }

    @Test
    void markerExpiresAt_isHourEndPlusRetentionPlusGrace() {
        Hour hour = Hour.containing(Instant.parse("2026-11-28T10:15:00Z"));

        assertThat(DynamoDbCounterStore.markerExpiresAt(hour, Duration.ofDays(30)))
                .isEqualTo(Instant.parse("2026-12-28T12:00:00Z").getEpochSecond());
    }

    @Test
    void batchBudget_lastMarkerPutAndEveryCounterRoundFitInsideTheIngestTimeout() {
        long counterRounds = Math.ceilDiv(RequestValidator.MAX_BATCH_HOURS, DynamoDbCounterStore.COUNTER_WRITERS);
        Duration worstCase = DynamoDbCounterStore.BATCH_MARKER_DEADLINE
                .plus(DynamoDbClients.CALL_TIMEOUT.multipliedBy(1 + counterRounds));

        assertThat(DynamoDbCounterStore.BATCH_MARKER_DEADLINE).isEqualTo(Duration.ofSeconds(17));
        assertThat(worstCase).isEqualTo(DynamoDbCounterStore.BATCH_STORE_BUDGET).isLessThan(Duration.ofSeconds(28));
    }
}
