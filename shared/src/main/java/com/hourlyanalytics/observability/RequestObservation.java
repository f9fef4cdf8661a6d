package com.hourlyanalytics.observability;

import static com.hourlyanalytics.observability.MetricLines.COUNT;
import static com.hourlyanalytics.observability.MetricLines.MILLISECONDS;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.store.StoreErrorCode;
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
 * creates one per request and writes its metrics when the request ends. Only the API key id is read from
 * another thread (the timeout watchdog's).
 */
public final class RequestObservation {

    /** EMF accepts at most 100 values of one metric in one line. */
    private static final int MAX_VALUES_PER_LINE = 100;

    /** One metric with its dimensions' values, and the sets of dimension names CloudWatch keeps it by. */
    private record Series(String metric, String unit, Map<String, String> dimensions, List<List<String>> dimensionSets) {

        /** A metric with one dimension, or none when {@code dimension} is null. */
        static Series of(String metric, String unit, String dimension, String value) {
            return dimension == null
                    ? new Series(metric, unit, Map.of(), List.of(List.of()))
                    : new Series(metric, unit, Map.of(dimension, value), List.of(List.of(dimension)));
        }

        /**
         * StoreErrors: by operation alone (what the write-path alarm and older graphs read), by operation and error
         * code (why), and by error class alone (the fault alarm). Each set is a metric of its own in CloudWatch.
         */
        static Series storeError(StoreOperation operation, StoreErrorCode code) {
            Map<String, String> dimensions = new LinkedHashMap<>();
            dimensions.put(MetricNames.OPERATION, operation.dimensionValue());
            dimensions.put(MetricNames.ERROR_CODE, code.dimensionValue());
            dimensions.put(MetricNames.ERROR_CLASS, code.errorClass());
            return new Series(MetricNames.STORE_ERRORS, COUNT, dimensions, List.of(
                    List.of(MetricNames.OPERATION),
                    List.of(MetricNames.OPERATION, MetricNames.ERROR_CODE),
                    List.of(MetricNames.ERROR_CLASS)));
        }
    }

    private final LongSupplier nanoTime;
    private final Map<Series, List<Long>> values = new LinkedHashMap<>();
    private String outcome;
    /** Read by the timeout watchdog's thread too. */
    private volatile String apiKeyId;
    private long events;
    private StoreErrorCode storeError;

    RequestObservation(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Runs one store call, recording its latency and, when it fails, a store error. */
    public <T> T store(StoreOperation operation, Supplier<T> call) {
        long start = nanoTime.getAsLong();
        try {
            return call.get();
        } catch (StoreUnavailableException e) {
            add(Series.storeError(operation, e.errorCode()), 1);
            throw e;
        } finally {
            add(Series.of(MetricNames.STORE_LATENCY, MILLISECONDS, MetricNames.OPERATION, operation.dimensionValue()),
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
        eventsByType.forEach((type, count) -> {
            events += count;
            add(Series.of(MetricNames.EVENTS_ACCEPTED, COUNT, MetricNames.EVENT_TYPE, type.wireName()), count);
        });
        if (newUsers > 0) {
            add(Series.of(MetricNames.NEW_UNIQUE_USERS, COUNT, null, null), newUsers);
        }
    }

    /** The request was bad input: counted by its reason, never by what was sent. */
    public void rejected(String reason) {
        outcome = "rejected:" + reason;
        add(Series.of(MetricNames.REQUESTS_REJECTED, COUNT, MetricNames.REASON, reason), 1);
    }

    /** The store failed, so the request answers 503: the log line names why ({@link StoreErrorCode}), never what was sent. */
    public void storeUnavailable(StoreUnavailableException failure) {
        outcome = "store_unavailable";
        storeError = failure.errorCode();
    }

    /** The id (never the value) of the caller's API key, as API Gateway passed it; null without one. */
    public void apiKeyId(String apiKeyId) {
        this.apiKeyId = apiKeyId;
    }

    String apiKeyId() {
        return apiKeyId;
    }

    /** What the log line names as the request's outcome. */
    public void outcome(String outcome) {
        this.outcome = outcome;
    }

    /** The outcome the handler or the observer set, if any. */
    String outcome() {
        return outcome;
    }

    /** Events counted by this request (a batch counts each line): what the log line reports per partner. */
    long events() {
        return events;
    }

    /** Why the store failed, or null. */
    StoreErrorCode storeError() {
        return storeError;
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
        return MetricLines.line(timestampMillis, series.metric(), series.unit(), series.dimensions(),
                series.dimensionSets(), values);
    }

    private void add(Series series, long value) {
        values.computeIfAbsent(series, s -> new ArrayList<>()).add(value);
    }
}
