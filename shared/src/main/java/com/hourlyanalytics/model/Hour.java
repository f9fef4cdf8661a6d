package com.hourlyanalytics.model;

import java.time.Instant;

/** One GMT hour, numbered from the epoch: hour 0 is 1970-01-01T00:00Z. */
public record Hour(long index) {

    public static final long MILLIS_PER_HOUR = 3_600_000L;

    /** The hour holding the instant; floorDiv so that an hour's last millisecond stays in it. */
    public static Hour containing(long epochMillis) {
        return new Hour(Math.floorDiv(epochMillis, MILLIS_PER_HOUR));
    }

    public static Hour containing(Instant instant) {
        return containing(instant.toEpochMilli());
    }

    public long startMillis() {
        return index * MILLIS_PER_HOUR;
    }

    public Hour plus(long hours) {
        return new Hour(index + hours);
    }

    @Override
    public String toString() {
        return Instant.ofEpochMilli(startMillis()).toString();
    }
}
