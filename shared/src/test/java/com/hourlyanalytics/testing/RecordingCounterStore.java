package com.hourlyanalytics.testing;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A handler-test double of the port: records which methods ran and with what, answers fixed values, or fails
 * like a store that is down. Store semantics are tested against real dynalite in the *IT suites, never here.
 */
public final class RecordingCounterStore implements CounterStore {

    public final List<AnalyticsEvent> recorded = Collections.synchronizedList(new ArrayList<>());
    public final List<Hour> read = Collections.synchronizedList(new ArrayList<>());
    /** The answer-by instant of each recordBatch, in order. */
    public final List<Long> answerBy = Collections.synchronizedList(new ArrayList<>());
    /** The partner of each call, in order. */
    public final List<Partner> partners = Collections.synchronizedList(new ArrayList<>());
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final boolean newUsers;
    private final HourCounts counts;
    private final boolean unavailable;

    private RecordingCounterStore(boolean newUsers, HourCounts counts, boolean unavailable) {
        this.newUsers = newUsers;
        this.counts = counts;
        this.unavailable = unavailable;
    }

    /** record answers {@code newUsers} (recordBatch: all or none new); countsFor answers {@code counts}. */
    public static RecordingCounterStore answering(boolean newUsers, HourCounts counts) {
        return new RecordingCounterStore(newUsers, counts, false);
    }

    /** Every call fails as a dead store would. */
    public static RecordingCounterStore unavailable() {
        return new RecordingCounterStore(false, HourCounts.EMPTY, true);
    }

    /** The names of the methods called, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public boolean record(Partner partner, AnalyticsEvent event) {
        call("record", partner);
        recorded.add(event);
        return newUsers;
    }

    @Override
    public long recordBatch(Partner partner, List<AnalyticsEvent> events, long answerByMillis) {
        call("recordBatch", partner);
        answerBy.add(answerByMillis);
        recorded.addAll(events);
        return newUsers ? events.size() : 0;
    }

    @Override
    public HourCounts countsFor(Partner partner, Hour hour) {
        call("countsFor", partner);
        read.add(hour);
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

    @Override
    public void renewAfterRestore() {
        call("renewAfterRestore");
    }

    private void call(String name, Partner partner) {
        partners.add(partner);
        call(name);
    }

    private void call(String name) {
        calls.add(name);
        if (unavailable) {
            throw new StoreUnavailableException(name + " failed (test)", null);
        }
    }
}
