package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KnownMarkersTest {

    private static final Hour HOUR = Hour.containing(Instant.parse("2026-11-28T10:00:00Z"));
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:30:00Z"));

    @Test
    void contains_afterAdd_isTrueOnlyForThatUserAndHour() {
        var markers = new KnownMarkers(10, Duration.ZERO, clock);
        markers.add(Partner.DEFAULT, HOUR, "alice");

        assertThat(markers.contains(Partner.DEFAULT, HOUR, "alice")).isTrue();
        assertThat(markers.contains(Partner.DEFAULT, HOUR, "Alice")).isFalse();
        assertThat(markers.contains(Partner.DEFAULT, HOUR.plus(1), "alice")).isFalse();
    }

    @Test
    void add_pastCapacity_evictsLeastRecentlyUsed() {
        var markers = new KnownMarkers(2, Duration.ZERO, clock);
        markers.add(Partner.DEFAULT, HOUR, "a");
        markers.add(Partner.DEFAULT, HOUR, "b");
        markers.contains(Partner.DEFAULT, HOUR, "a");
        markers.add(Partner.DEFAULT, HOUR, "c");

        assertThat(markers.size()).isEqualTo(2);
        assertThat(markers.contains(Partner.DEFAULT, HOUR, "a")).isTrue();
        assertThat(markers.contains(Partner.DEFAULT, HOUR, "b")).isFalse();
        assertThat(markers.contains(Partner.DEFAULT, HOUR, "c")).isTrue();
    }

    @Test
    void contains_onceHourIsPastRetention_isFalse() {
        var markers = new KnownMarkers(10, Duration.ofDays(1), clock);
        markers.add(Partner.DEFAULT, HOUR, "alice");
        clock.advance(Duration.ofDays(1).plusMinutes(29));
        assertThat(markers.contains(Partner.DEFAULT, HOUR, "alice")).isTrue();

        clock.advance(Duration.ofMinutes(1));

        assertThat(markers.contains(Partner.DEFAULT, HOUR, "alice")).isFalse();
    }

    @Test
    void add_forHourPastRetention_isIgnored() {
        var markers = new KnownMarkers(10, Duration.ofDays(1), clock);

        markers.add(Partner.DEFAULT, HOUR.plus(-25), "alice");

        assertThat(markers.size()).isZero();
    }

    @Test
    void zeroCapacity_remembersNothing() {
        var markers = new KnownMarkers(0, Duration.ZERO, clock);
        markers.add(Partner.DEFAULT, HOUR, "alice");

        assertThat(markers.contains(Partner.DEFAULT, HOUR, "alice")).isFalse();
    }
}
