package com.hourlyanalytics.store;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;

/** The port the handlers call. Implementations throw {@link StoreUnavailableException} when the store fails. */
public interface CounterStore {

    /** Counts one event; returns true when it was the user's first event of that hour. */
    boolean record(AnalyticsEvent event);

    /** The hour's counts, including every event whose {@link #record} has returned. */
    HourCounts countsFor(Hour hour);

    /**
     * SnapStart priming of {@link #record}'s code path (client, marshalling, signing, connection) with calls that
     * cannot change anything. Only a store with a remote client has anything to warm.
     */
    default void primeRecord() {
    }

    /** SnapStart priming of {@link #countsFor}'s code path with a read of an item that is never a counter. */
    default void primeRead() {
    }
}
