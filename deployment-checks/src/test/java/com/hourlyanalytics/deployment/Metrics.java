package com.hourlyanalytics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.RequestHandling;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.observability.CapturedLines;
import com.hourlyanalytics.observability.MetricNames;
import com.hourlyanalytics.observability.StoreOperation;
import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The metrics that exist for an alarm or a graph to name: the custom ones the functions' code writes (found by
 * running it), those the template's metric filters make, and AWS's own, by a fixed list of what each AWS namespace
 * publishes and with which dimensions (the services' CloudWatch metric documentation).
 */
final class Metrics {

    /** A metric as CloudWatch keys it: namespace, name and the set of its dimensions' names. */
    record Metric(String namespace, String name, Set<String> dimensions) {
        Metric {
            dimensions = Set.copyOf(dimensions);
        }
    }

    private static final Set<String> API = Set.of("ApiName", "Stage");
    private static final Set<String> FUNCTION = Set.of("FunctionName");
    private static final Set<String> TABLE = Set.of("TableName");
    private static final Set<String> TABLE_OPERATION = Set.of("TableName", "Operation");

    /** Namespace to metric name to the dimension sets AWS publishes it with (only the metrics this stack may use). */
    static final Map<String, Map<String, Set<Set<String>>>> AWS = Map.of(
            "AWS/ApiGateway", Map.of(
                    "Count", Set.of(API), "4XXError", Set.of(API), "5XXError", Set.of(API),
                    "Latency", Set.of(API), "IntegrationLatency", Set.of(API)),
            "AWS/Lambda", Map.of(
                    "Invocations", Set.of(FUNCTION), "Errors", Set.of(FUNCTION), "Throttles", Set.of(FUNCTION),
                    "Duration", Set.of(FUNCTION),
                    // Also account-wide, without a dimension: all functions in the region together.
                    "ConcurrentExecutions", Set.of(FUNCTION, Set.of())),
            "AWS/DynamoDB", Map.of(
                    "ConsumedReadCapacityUnits", Set.of(TABLE), "ConsumedWriteCapacityUnits", Set.of(TABLE),
                    "ReadThrottleEvents", Set.of(TABLE), "WriteThrottleEvents", Set.of(TABLE),
                    // Item-level requests rejected for a transaction conflict (developer guide, "DynamoDB metrics").
                    "TransactionConflict", Set.of(TABLE),
                    // Per operation only: there is no table-wide series of these.
                    "SuccessfulRequestLatency", Set.of(TABLE_OPERATION), "SystemErrors", Set.of(TABLE_OPERATION)));

    private Metrics() {
    }

    /**
     * Every custom metric the code writes, each with each dimension set: the EMF lines of one request that goes
     * through every kind of RequestObservation call (every store operation, failed and not; every event type; a
     * rejection), which is where each of the functions' metrics is written.
     */
    static Set<Metric> emittedByCode() {
        CapturedLines out = new CapturedLines();
        var request = new APIGatewayProxyRequestEvent().withResource("/analytics").withHttpMethod("POST");
        out.observer(1).observe(request, RequestHandling.answeringErrors((r, call) -> {
            for (StoreOperation operation : StoreOperation.values()) {
                call.store(operation, () -> 1);
                try {
                    call.store(operation, () -> {
                        throw new StoreUnavailableException(StoreErrorCode.OTHER, "failed");
                    });
                } catch (StoreUnavailableException expected) {
                    // counted as a store error, which is what this run is for
                }
            }
            for (EventType type : EventType.values()) {
                call.accepted(type, true);
            }
            call.rejected("any_reason");
            return HttpResponses.noContent();
        }));
        Set<Metric> emitted = new HashSet<>();
        for (JsonNode line : out.metrics()) {
            for (JsonNode directive : line.at("/_aws/CloudWatchMetrics")) {
                for (JsonNode set : directive.path("Dimensions")) {
                    Set<String> dimensions = new TreeSet<>();
                    set.forEach(name -> dimensions.add(name.asText()));
                    directive.path("Metrics").forEach(metric ->
                            emitted.add(new Metric(directive.path("Namespace").asText(), metric.path("Name").asText(), dimensions)));
                }
            }
        }
        assertThat(emitted).as("the code's metrics").isNotEmpty();
        return emitted;
    }

    /** The custom metrics the template's metric filters make (no dimensions). */
    static Set<Metric> fromMetricFilters(Template template) {
        Set<Metric> made = new HashSet<>();
        template.resources("AWS::Logs::MetricFilter").values().forEach(filter ->
                filter.at("/Properties/MetricTransformations").forEach(transformation -> {
                    assertThat(transformation.has("Dimensions")).as("metric filter dimensions").isFalse();
                    made.add(new Metric(transformation.path("MetricNamespace").asText(),
                            transformation.path("MetricName").asText(), Set.of()));
                }));
        return made;
    }

    /** Fails unless the metric exists: written by the code or a metric filter, or published by AWS with these dimensions. */
    static void assertExists(Metric metric, Set<Metric> custom) {
        if (metric.namespace().equals(MetricNames.NAMESPACE)) {
            assertThat(custom).as("a metric the code or a metric filter writes").contains(metric);
            return;
        }
        Map<String, Set<Set<String>>> namespace = AWS.get(metric.namespace());
        assertThat(namespace).as("an AWS namespace this stack uses: %s", metric).isNotNull();
        assertThat(namespace).as("a metric %s publishes", metric.namespace()).containsKey(metric.name());
        assertThat(namespace.get(metric.name())).as("the dimensions of %s", metric).contains(metric.dimensions());
    }
}
