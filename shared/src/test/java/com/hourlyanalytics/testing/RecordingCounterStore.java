package com.hourlyanalytics.testing;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * A handler-test double of the port: records what the handler asked for, answers fixed counts, or fails like
 * a store that is down. Store semantics are tested against real dynalite in the *IT suites, never here.
 */
public final class RecordingCounterStore implements CounterStore {

    public final List<AnalyticsEvent> recorded = new ArrayList<>();
    public final List<Hour> read = new ArrayList<>();
    private HourCounts answer = HourCounts.EMPTY;
    private boolean failing;

    public RecordingCounterStore answering(HourCounts counts) {
        this.answer = counts;
        return this;
    }

    public RecordingCounterStore failing() {
        this.failing = true;
        return this;
    }

    public int calls() {
        return recorded.size() + read.size();
    }

    @Override
    public boolean record(AnalyticsEvent event) {
        if (failing) {
            throw new StoreUnavailableException("store down (test)", null);
        }
        recorded.add(event);
        return true;
    }

    @Override
    public HourCounts countsFor(Hour hour) {
        if (failing) {
            throw new StoreUnavailableException("store down (test)", null);
        }
        read.add(hour);
        return answer;
    }
}
