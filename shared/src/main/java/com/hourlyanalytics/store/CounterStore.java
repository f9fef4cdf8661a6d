package com.hourlyanalytics.store;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import java.time.Duration;
import java.util.List;

/**
 * The port the handlers call. Every count belongs to one {@link Partner}: a partner's events and reads never
 * touch another's. Implementations throw {@link StoreUnavailableException} when the store fails.
 */
public interface CounterStore {

    /** The most distinct hours one batch may span: each is one counter update, and all must end in bounded time. */
    int MAX_BATCH_HOURS = 48;

    /** Counts one of the partner's events; returns true when it was the user's first event of that hour. */
    boolean record(Partner partner, AnalyticsEvent event);

    /**
     * Counts every event, as {@link #record} each would; returns how many were a user's first of their hour.
     * The events span at most {@link #MAX_BATCH_HOURS} hours. No write starts that could still be running at
     * {@code answerByMillis} (epoch ms), when the caller's answer is due: a store that cannot finish in time fails
     * with {@link StoreUnavailableException} rather than be cut off.
     */
    long recordBatch(Partner partner, List<AnalyticsEvent> events, long answerByMillis);

    /** {@link #recordBatch(Partner, List, long)} bounded only by the store's own budget. */
    default long recordBatch(Partner partner, List<AnalyticsEvent> events) {
        return recordBatch(partner, events, Long.MAX_VALUE);
    }

    /** The partner's counts of the hour, including every event whose {@link #record} has returned. */
    HourCounts countsFor(Partner partner, Hour hour);

    /**
     * How long after an hour ends the store still knows who was counted in it; zero means forever.
     * Events of older hours cannot be counted exactly, so validation rejects them. This is the configured
     * retention; a store that knows a shorter one was used before refuses older events itself
     * ({@link EventTooOldException}).
     */
    default Duration markerRetention() {
        return Duration.ZERO;
    }

    /**
     * SnapStart priming of {@link #record}'s code path (client, marshalling, signing, connection) with calls that
     * cannot change anything. Only a store with a remote client has anything to warm.
     */
    default void primeRecord() {
    }

    /** SnapStart priming of {@link #countsFor}'s code path with a read of an item that is never a counter. */
    default void primeRead() {
    }

    /**
     * After a SnapStart restore: renew what must differ between containers restored from one snapshot
     * (the entropy that spreads writes). Only a store that randomizes anything has something to renew.
     */
    default void renewAfterRestore() {
    }
}
