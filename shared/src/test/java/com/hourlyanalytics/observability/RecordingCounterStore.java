package com.hourlyanalytics.observability;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A store that records which of its methods ran, for tests about what a handler calls (never for counting). */
public final class RecordingCounterStore implements CounterStore {

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final boolean newUsers;
    private final HourCounts counts;
    private final boolean unavailable;

    private RecordingCounterStore(boolean newUsers, HourCounts counts, boolean unavailable) {
        this.newUsers = newUsers;
        this.counts = counts;
        this.unavailable = unavailable;
    }

    /** record answers {@code newUsers}; countsFor answers {@code counts}. */
    public static RecordingCounterStore answering(boolean newUsers, HourCounts counts) {
        return new RecordingCounterStore(newUsers, counts, false);
    }

    /** Every call fails as a dead store would. */
    public static RecordingCounterStore unavailable() {
        return new RecordingCounterStore(false, HourCounts.EMPTY, true);
    }

    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public boolean record(AnalyticsEvent event) {
        call("record");
        return newUsers;
    }

    @Override
    public HourCounts countsFor(Hour hour) {
        call("countsFor");
        return counts;
    }

    @Override
    public void primeRecord() {
        call("primeRecord");
    }

    @Override
    public void primeRead() {
        call("primeRead");
    }

    private void call(String name) {
        calls.add(name);
        if (unavailable) {
            throw new StoreUnavailableException(name + " failed", null);
        }
    }
}
