package com.hourlyanalytics.observability;

import static com.hourlyanalytics.observability.MetricLines.COUNT;
import static com.hourlyanalytics.observability.MetricLines.MILLISECONDS;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one request did, as the handler tells it: store calls (timed) and accepted events. {@link RequestObserver}
 * creates one per request and writes its metrics when the request ends. Not shared between threads.
 */
public final class RequestObservation {

    /** EMF accepts at most 100 values of one metric in one line. */
    private static final int MAX_VALUES_PER_LINE = 100;

    private record Series(String metric, String unit, String dimension, String dimensionValue) {
    }

    private final LongSupplier nanoTime;
    private final Map<Series, List<Long>> values = new LinkedHashMap<>();
    private String outcome;

    RequestObservation(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Runs one store call, recording its latency and, when it fails, a store error. */
    public <T> T store(StoreOperation operation, Supplier<T> call) {
        long start = nanoTime.getAsLong();
        try {
            return call.get();
        } catch (StoreUnavailableException e) {
            add(new Series(MetricNames.STORE_ERRORS, COUNT, MetricNames.OPERATION, operation.dimensionValue()), 1);
            throw e;
        } finally {
            add(new Series(MetricNames.STORE_LATENCY, MILLISECONDS, MetricNames.OPERATION, operation.dimensionValue()),
                    nanoTime.getAsLong() - start);
        }
    }

    /** One event was counted; {@code newUser} when it was the user's first in its hour. */
    public void accepted(EventType type, boolean newUser) {
        accepted(Map.of(type, 1L), newUser ? 1 : 0);
    }

    /** A batch was counted: one value per event type and one for new users, however long the batch. */
    public void accepted(Map<EventType, Long> eventsByType, long newUsers) {
        outcome = "accepted";
        eventsByType.forEach((type, events) ->
                add(new Series(MetricNames.EVENTS_ACCEPTED, COUNT, MetricNames.EVENT_TYPE, type.wireName()), events));
        if (newUsers > 0) {
            add(new Series(MetricNames.NEW_UNIQUE_USERS, COUNT, null, null), newUsers);
        }
    }

    /** The request was bad input: counted by its reason, never by what was sent. */
    public void rejected(String reason) {
        outcome = "rejected:" + reason;
        add(new Series(MetricNames.REQUESTS_REJECTED, COUNT, MetricNames.REASON, reason), 1);
    }

    /** What the log line names as the request's outcome. */
    public void outcome(String outcome) {
        this.outcome = outcome;
    }

    /** The outcome the handler or the observer set, if any. */
    String outcome() {
        return outcome;
    }

    void writeMetrics(long timestampMillis, Consumer<String> sink) {
        values.forEach((series, recorded) -> {
            if (COUNT.equals(series.unit())) {
                sink.accept(line(timestampMillis, series, List.of(recorded.stream().mapToLong(Long::longValue).sum())));
            } else {
                for (int from = 0; from < recorded.size(); from += MAX_VALUES_PER_LINE) {
                    sink.accept(line(timestampMillis, series,
                            recorded.subList(from, Math.min(recorded.size(), from + MAX_VALUES_PER_LINE))));
                }
            }
        });
    }

    private static String line(long timestampMillis, Series series, List<Long> values) {
        return MetricLines.line(timestampMillis, series.metric(), series.unit(), series.dimension(),
                series.dimensionValue(), values);
    }

    private void add(Series series, long value) {
        values.computeIfAbsent(series, s -> new ArrayList<>()).add(value);
    }
}
