package com.hourlyanalytics.client;

import java.util.Objects;
import java.util.UUID;

/**
 * One visitor event with the id that makes its resends count once. Built by {@link #of(long, String, EventType)},
 * which gives it a fresh random id, or {@link #of(long, String, EventType, String)} with the caller's own (keep it
 * to resend the event yourself later, e.g. from a store of your own). The checks here are those that keep a batch
 * line well formed; the service checks the rest (user length and characters, how far back or ahead the timestamp
 * may be) and the client reports what it rejects.
 */
public final class Event {

    /** The API's limit on {@code event_id}. */
    public static final int MAX_EVENT_ID_LENGTH = 128;

    private final long timestamp;
    private final String user;
    private final EventType type;
    private final String eventId;

    private Event(long timestamp, String user, EventType type, String eventId) {
        this.timestamp = timestamp;
        this.user = user;
        this.type = type;
        this.eventId = eventId;
    }

    /** An event with a random UUID as its event id. */
    public static Event of(long timestamp, String user, EventType type) {
        return of(timestamp, user, type, UUID.randomUUID().toString());
    }

    /**
     * @param timestamp milliseconds since the epoch; the event counts in the GMT hour holding it
     * @param user      the visitor's id: any text without line breaks (the service checks its length and characters)
     * @param eventId   1 to 128 of {@code A-Z a-z 0-9 - _ . :}, not {@code click} or {@code impression}
     * @throws IllegalArgumentException naming the field that is not acceptable
     */
    public static Event of(long timestamp, String user, EventType type, String eventId) {
        if (timestamp < 0) {
            throw new IllegalArgumentException("timestamp must not be negative");
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user is blank");
        }
        if (user.indexOf('\n') >= 0 || user.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("user contains a line break");
        }
        checkEventId(eventId);
        return new Event(timestamp, user, type, eventId);
    }

    private static void checkEventId(String eventId) {
        if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH) {
            throw new IllegalArgumentException("event_id must be 1 to " + MAX_EVENT_ID_LENGTH + " characters");
        }
        for (int i = 0; i < eventId.length(); i++) {
            char c = eventId.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':')) {
                throw new IllegalArgumentException("event_id may hold only letters, digits and - _ . :");
            }
        }
        if (EventType.fromWireName(eventId).isPresent()) {
            throw new IllegalArgumentException("event_id must not be an event type's name");
        }
    }

    public long timestamp() {
        return timestamp;
    }

    public String user() {
        return user;
    }

    public EventType type() {
        return type;
    }

    public String eventId() {
        return eventId;
    }

    /** The GMT hour holding the timestamp, as hours since the epoch. */
    long hour() {
        return timestamp / 3_600_000L;
    }

    /** The event as a batch line, without its line end: {@code timestamp,user,event,event_id}. */
    String line() {
        return timestamp + "," + user + "," + type.wireName() + "," + eventId;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof Event)) {
            return false;
        }
        Event that = (Event) other;
        return timestamp == that.timestamp && user.equals(that.user) && type == that.type && eventId.equals(that.eventId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, user, type, eventId);
    }

    /** Without the user: user ids are data, and this string may reach logs. */
    @Override
    public String toString() {
        return "Event[event_id=" + eventId + ", timestamp=" + timestamp + ", event=" + type.wireName() + "]";
    }
}
