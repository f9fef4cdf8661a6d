package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TableLayoutTest {

    private static final Hour HOUR = new Hour(494_482);

    @Test
    void markerKey_userIdThatLooksLikeAKey_cannotCollideWithAnotherHour() {
        // Hour 1 with user "2#x" and hour 12 with user "x" would collide under a naive "<hour><user>" format.
        assertThat(TableLayout.markerKey(new Hour(1), "2#x"))
                .isEqualTo("user#1#2#x")
                .isNotEqualTo(TableLayout.markerKey(new Hour(12), "x"));
        assertThat(TableLayout.markerKey(new Hour(1), "x")).isNotEqualTo(TableLayout.counterKey(new Hour(1)));
    }

    @Test
    void counterKey_namesTheHourIndex() {
        assertThat(TableLayout.counterKey(Hour.containing(10_032_342_000L))).isEqualTo("hour#2786");
    }

    @Test
    void counterKey_shardZeroIsTheUnshardedKey_othersAppendTheShard() {
        assertThat(TableLayout.counterKey(HOUR, 0)).isEqualTo("hour#494482").isEqualTo(TableLayout.counterKey(HOUR));
        assertThat(TableLayout.counterKey(HOUR, 7)).isEqualTo("hour#494482#7");
    }

    @Test
    void markerExpiresAt_isHourEndPlusRetentionPlusGrace() {
        Hour hour = Hour.containing(Instant.parse("2026-11-28T10:15:00Z"));

        assertThat(TableLayout.markerExpiresAt(hour, Duration.ofDays(30)))
                .isEqualTo(Instant.parse("2026-12-28T12:00:00Z").getEpochSecond());
    }
}
