package com.hourlyanalytics.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class HourTest {

    private static final long H = Instant.parse("2024-03-01T10:00:00Z").toEpochMilli();

    @Test
    void containing_lastMillisecondOfHour_staysInThatHour() {
        assertThat(Hour.containing(H + 3_599_999)).isEqualTo(Hour.containing(H));
    }

    @Test
    void containing_firstMillisecondOfNextHour_isNextHour() {
        assertThat(Hour.containing(H + 3_600_000)).isEqualTo(Hour.containing(H).plus(1));
    }

    @Test
    void containing_epoch_isHourZero() {
        assertThat(Hour.containing(0).index()).isZero();
    }

    @Test
    void containing_seedTimestamp_isHour2786() {
        assertThat(Hour.containing(10_032_342_000L).index()).isEqualTo(2786);
        assertThat(Hour.containing(10_032_342_000L)).hasToString("1970-04-27T02:00:00Z");
    }

    @Test
    void containing_negativeInstant_floorsTowardsPast() {
        assertThat(Hour.containing(-1).index()).isEqualTo(-1);
    }

    @Test
    void startMillis_isTheHoursFirstInstant() {
        assertThat(Hour.containing(H + 1234).startMillis()).isEqualTo(H);
    }
}
