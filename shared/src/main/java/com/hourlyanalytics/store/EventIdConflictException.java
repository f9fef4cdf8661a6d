package com.hourlyanalytics.store;

/**
 * The partner already sent this event id for a different event (another timestamp, user or event type), within
 * the dedupe window. Thrown before anything of the request is stored; the message is one line, safe to show.
 */
public final class EventIdConflictException extends RuntimeException {

    public EventIdConflictException(String eventId) {
        super("event_id '" + eventId + "' was already used for a different event; send a new event_id for a new event",
                null, false, false);
    }
}
