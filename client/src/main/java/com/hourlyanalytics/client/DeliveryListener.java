package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.List;

/**
 * Told what became of each event handed to the client, so that nothing is lost silently: every accepted event ends
 * in exactly one of {@link #delivered}, {@link #rejected} or {@link #dropped}; a refused one (full queue) in
 * {@link #dropped}. Called on the client's sender threads (and, for a full queue, the caller's), possibly at once
 * from several: keep it quick and thread-safe. An exception it throws is logged and ignored.
 */
public interface DeliveryListener {

    /** The service answered 204: each of these events is counted exactly once. */
    default void delivered(List<Event> events) {
    }

    /**
     * The service refused the event for good (400, 422, or another 4xx but 429, e.g. a 403 for a wrong key); it is
     * never resent and nothing of it was counted.
     *
     * @param message the service's one-line answer, without the batch's {@code line N: } prefix
     */
    default void rejected(Event event, int status, String message) {
    }

    /** The client gave the event up; {@link DropReason} says whether it may have been counted. */
    default void dropped(Event event, DropReason reason, String detail) {
    }

    /**
     * A request for {@code events} events got no final answer and is sent again, with the same event ids, after
     * {@code backoff}.
     *
     * @param status the answer's status (429, 5xx), or 0 when there was none (timeout, refused or broken connection)
     * @param cause  the answer's first line, or what went wrong
     * @param attempt the attempt that failed, from 1
     */
    default void retrying(int events, int status, String cause, int attempt, Duration backoff) {
    }
}
