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
}
