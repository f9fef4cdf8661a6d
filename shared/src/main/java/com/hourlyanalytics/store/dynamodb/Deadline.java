package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;

/** When a request's store work must stop starting calls: every call, and every retry, checks it first. */
record Deadline(Clock clock, long millis) {

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
