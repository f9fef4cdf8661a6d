package com.hourlyanalytics.client;

/** Why the client gave an event up. Resending a dropped event later with its event id is always safe. */
public enum DropReason {
    /** The queue stayed full for {@code enqueueTimeout}; {@code send} returned false and nothing was sent. */
    QUEUE_FULL,
    /** Every one of {@code maxAttempts} requests went unanswered or was answered 429 or 5xx: it may have been counted. */
    GAVE_UP,
    /** {@code close} ran out of time with the event still queued (not sent) or in a request (it may have been counted). */
    CLOSED
}
