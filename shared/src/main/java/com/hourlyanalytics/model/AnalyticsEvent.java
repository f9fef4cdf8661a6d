package com.hourlyanalytics.model;

import java.util.Objects;

/**
 * One validated event: the user is an opaque, case-sensitive id that already passed request validation. The
 * partner's {@code eventId}, when it sent one, makes resends of the event count once; null when it sent none.
 */
public record AnalyticsEvent(long timestampMillis, String userId, EventType type, String eventId) {

    public AnalyticsEvent {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(type, "type");
    }

    /** An event without an event id: each one sent counts. */
    public AnalyticsEvent(long timestampMillis, String userId, EventType type) {
        this(timestampMillis, userId, type, null);
    }

    public Hour hour() {
        return Hour.containing(timestampMillis);
    }

    /** Whether this is the same event as {@code other} apart from its id: what a resend under one id must be. */
    public boolean sameEventAs(AnalyticsEvent other) {
        return timestampMillis == other.timestampMillis && userId.equals(other.userId) && type == other.type;
    }
}
