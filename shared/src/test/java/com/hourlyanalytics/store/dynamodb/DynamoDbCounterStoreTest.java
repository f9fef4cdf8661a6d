package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DynamoDbCounterStoreTest {

    private static final Hour HOUR = new Hour(494_482);

    @Test
    void counterKey_shardZeroIsTheUnshardedKey_othersAppendTheShard() {
        assertThat(DynamoDbCounterStore.counterKey(HOUR, 0)).isEqualTo("hour#494482").isEqualTo(DynamoDbCounterStore.counterKey(HOUR));
        assertThat(DynamoDbCounterStore.counterKey(HOUR, 7)).isEqualTo("hour#494482#7");
    }

    @Test
    void markerKey_keepsUserIdVerbatim() {
        assertThat(DynamoDbCounterStore.markerKey(HOUR, "a#b,c")).isEqualTo("user#494482#a#b,c");
    }

    @Test
    void counterUpdate_addsOnlyNonZeroCounts() {
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(0, 1, 0))).isEqualTo("ADD clicks :clicks");
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(1, 0, 1)))
                .isEqualTo("ADD unique_users :unique_users, impressions :impressions");
        assertThat(DynamoDbCounterStore.counterUpdate(new HourCounts(3, 5, 8)))
                .isEqualTo("ADD unique_users :unique_users, clicks :clicks, impressions :impressions");
    }

    @Test
    void markerExpiresAt_isHourEndPlusRetentionPlusGrace() {
        Hour hour = Hour.containing(Instant.parse("2026-11-28T10:15:00Z"));

        assertThat(DynamoDbCounterStore.markerExpiresAt(hour, Duration.ofDays(30)))
                .isEqualTo(Instant.parse("2026-12-28T12:00:00Z").getEpochSecond());
    }
}
