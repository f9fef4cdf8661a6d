package com.hourlyanalytics.bench.contention;

import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Recorder;

/**
 * One phase of the contention run: requests (one event, or a batch) sent open-loop at a fixed rate, each to one of
 * the containers' stores in turn, as Lambda spreads requests; every refused request is resent afterwards until it
 * is acknowledged, as partners (and our client) do, so that the hour must end exact, but for what docs/reliability.md
 * allows: an event without an id refused for another reason than a conflict (a timeout: it may have been applied) is
 * unsure, and its resend may count it twice.
 */
record ContentionPhase(String name, List<List<AnalyticsEvent>> requests, double requestsPerSecond, boolean newUsers) {

    static final Partner PARTNER = new Partner("bench");
    private static final int MAX_RESENDS = 20;

    /** What the phase's first sends met, and the events its refusals left unsure (first sends and resends). */
    record Outcome(long events, Map<String, Long> refusedByCode, long resends, long unsure, double p50Millis, double p99Millis) {
        long refused() {
            return refusedByCode.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** The one hour the phase writes. */
    Hour hour() {
        return requests.getFirst().getFirst().hour();
    }

    /** What the phase adds to its hour once counted: its events, and its users when they are new there. */
    HourCounts added() {
        List<AnalyticsEvent> events = requests.stream().flatMap(List::stream).toList();
        long users = newUsers ? events.stream().map(AnalyticsEvent::userId).distinct().count() : 0;
        return HourCounts.of(events).plus(new HourCounts(users, 0, 0));
    }

    Outcome run(List<CounterStore> containers) throws InterruptedException {
        Recorder latencies = Stats.recorder();
        Map<String, Long> refused = new ConcurrentHashMap<>();
        Queue<List<AnalyticsEvent>> toResend = new ConcurrentLinkedQueue<>();
        LongAdder unsure = new LongAdder();
        long start = System.nanoTime();
        long interval = (long) (1e9 / requestsPerSecond);
        try (var senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < requests.size(); i++) {
                LockSupport.parkNanos(start + i * interval - System.nanoTime());
                List<AnalyticsEvent> request = requests.get(i);
                CounterStore store = containers.get(i % containers.size());
                senders.execute(() -> {
                    long sent = System.nanoTime();
                    try {
                        store.recordBatch(PARTNER, request);
                    } catch (StoreUnavailableException e) {
                        refused.merge(e.errorCode().dimensionValue(), 1L, Long::sum);
                        unsure.add(unsure(request, e));
                        toResend.add(request);
                    }
                    latencies.recordValue(System.nanoTime() - sent);
                });
            }
        }
        long resends = resendUntilAcknowledged(toResend, containers.getFirst(), unsure);
        var histogram = latencies.getIntervalHistogram();
        return new Outcome(requests.stream().mapToLong(List::size).sum(), new TreeMap<>(refused), resends, unsure.sum(),
                Stats.percentileMillis(histogram, 50), Stats.percentileMillis(histogram, 99));
    }

    /** The request's events without an id, when its refusal may have applied them (anything but a conflict). */
    private static long unsure(List<AnalyticsEvent> request, StoreUnavailableException refusal) {
        return refusal.errorCode() == StoreErrorCode.TRANSACTION_CONFLICT ? 0
                : request.stream().filter(event -> event.eventId() == null).count();
    }

    private static long resendUntilAcknowledged(Queue<List<AnalyticsEvent>> refused, CounterStore store, LongAdder unsure) {
        long resends = 0;
        for (List<AnalyticsEvent> request : refused) {
            for (int attempt = 1; ; attempt++) {
                resends++;
                try {
                    store.recordBatch(PARTNER, request);
                    break;
                } catch (StoreUnavailableException e) {
                    unsure.add(unsure(request, e));
                    if (attempt == MAX_RESENDS) {
                        throw new IllegalStateException("a request was refused " + MAX_RESENDS + " times in a row", e);
                    }
                }
            }
        }
        return resends;
    }
}
