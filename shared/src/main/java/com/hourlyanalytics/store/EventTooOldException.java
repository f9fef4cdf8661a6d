package com.hourlyanalytics.store;

import java.time.Duration;

/**
 * An event older than the shortest marker retention the store was ever written with: its user's marker may have
 * expired, so counting it could count the user twice. Thrown before anything of the request is stored.
 */
public final class EventTooOldException extends RuntimeException {

    public EventTooOldException(Duration retention) {
        super("an event's timestamp is in an hour that ended more than " + retention.toDays()
                + (retention.toDays() == 1 ? " day" : " days") + " ago; events that old can no longer be counted exactly",
                null, false, false);
    }
}
