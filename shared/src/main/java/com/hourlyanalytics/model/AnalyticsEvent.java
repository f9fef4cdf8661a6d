package com.hourlyanalytics.model;

import java.util.Objects;

/** One validated event: the user is an opaque, case-sensitive id that already passed request validation. */
public record AnalyticsEvent(long timestampMillis, String userId, EventType type) {

    public AnalyticsEvent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
    }

    public Hour hour() {
        return Hour.containing(timestampMillis);
    }
}
