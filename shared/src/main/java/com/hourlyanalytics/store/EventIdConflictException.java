package com.hourlyanalytics.store;

/**
 * The partner already sent this event id for a different event (another timestamp, user or event type), within
 * the dedupe window. The message is one line, safe to show, and says what was stored: usually nothing, since a
 * batch reads its ids before writing; but when another request stored the id between that read and this batch's
 * write, the batch's other events were counted and only this one was not.
 */
public final class EventIdConflictException extends RuntimeException {

    private EventIdConflictException(String message) {
        super(message, null, false, false);
    }

    /** Nothing of the request was stored. */
    public static EventIdConflictException nothingStored(String eventId) {
        return new EventIdConflictException("event_id '" + eventId + "' was already used for a different event; "
                + "send a new event_id for a new event");
    }

    /** The batch's other events were counted; this one was not. */
    public static EventIdConflictException restOfBatchCounted(String eventId) {
        return new EventIdConflictException("event_id '" + eventId + "' was already used for a different event (stored "
                + "by another request while this batch was written): that line was not counted, every other line was; "
                + "do not resend the batch");
    }
}
