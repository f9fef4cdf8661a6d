package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;

/**
 * The wait before a write that met a transaction conflict is sent again, on a freshly picked shard. A conflict
 * applied nothing, so another attempt is safe. The wait is random in [0, min(cap, base x 2^n)) ("full jitter"):
 * writers that met each other at one moment do not meet again in lockstep, as fixed delays made them do.
 */
final class ConflictBackoff {

    /** Attempts of a single event's write that met conflicts before it answers 503 (TransactionConflict). */
    static final int MAX_ATTEMPTS = 8;
    static final long BASE_MILLIS = 10;
    static final long CAP_MILLIS = 200;

    private final Spread spread;

    ConflictBackoff(Spread spread) {
        this.spread = spread;
    }

    /** The longest wait after the {@code conflicts}-th conflict (1-based). */
    static long ceilingMillis(int conflicts) {
        return Math.min(CAP_MILLIS, BASE_MILLIS << Math.min(conflicts - 1, 20));
    }

    /**
     * Waits after the {@code conflicts}-th conflict of one write.
     *
     * @throws StoreUnavailableException after the deadline's last attempt, or when the deadline passes meanwhile
     */
    void pause(int conflicts, Deadline deadline) {
        if (conflicts >= deadline.conflictAttempts()) {
            throw new StoreUnavailableException(StoreErrorCode.TRANSACTION_CONFLICT,
                    "write met a transaction conflict on each of " + conflicts + " attempts");
        }
        try {
            Thread.sleep(spread.next(0, (int) ceilingMillis(conflicts)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", interrupted);
        }
        deadline.check();
    }
}
