package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;

/**
 * When a request's store work must stop starting calls (every call, and every retry, checks it first), and how many
 * attempts one of its writes may make while it meets transaction conflicts: a single event gives up after
 * {@link ConflictBackoff#MAX_ATTEMPTS} (a fast 503), a batch only at its deadline, since its budget is 25 s and a
 * conflict passes once the other transaction ends.
 */
record Deadline(Clock clock, long millis, int conflictAttempts) {

    boolean passed() {
        return clock.millis() > millis;
    }

    /** @throws StoreUnavailableException once the deadline has passed: nothing more may start */
    void check() {
        if (passed()) {
            throw new StoreUnavailableException(StoreErrorCode.BATCH_DEADLINE, "store work passed its deadline");
        }
    }
}
