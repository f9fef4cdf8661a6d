package com.hourlyanalytics.observability;

import java.util.List;
import java.util.Map;

/**
 * CloudWatch Embedded Metric Format: a JSON log line whose {@code _aws} metadata tells CloudWatch which of
 * its members are metrics, so metrics cost no API call. One line per series (a metric and its dimensions' values); a request's
 * repeated values of one metric share a line (EMF takes an array of values).
 */
final class MetricLines {

    static final String COUNT = "Count";
    static final String MILLISECONDS = "Milliseconds";

    private MetricLines() {
    }

    /**
     * @param dimensions    each dimension's name and value, in order (empty for a metric without dimensions)
     * @param dimensionSets the sets of dimension names CloudWatch aggregates by: one metric per set
     * @param values        counts, or nanoseconds when the unit is {@link #MILLISECONDS}
     */
    static String line(long timestampMillis, String metric, String unit, Map<String, String> dimensions,
                       List<List<String>> dimensionSets, List<Long> values) {
        JsonLine json = new JsonLine().beginObject()
                .name("_aws").beginObject()
                .field("Timestamp", timestampMillis)
                .name("CloudWatchMetrics").beginArray().beginObject()
                .field("Namespace", MetricNames.NAMESPACE)
                .name("Dimensions").beginArray();
        for (List<String> set : dimensionSets) {
            json.beginArray();
            set.forEach(json::value);
            json.endArray();
        }
        json.endArray()
                .name("Metrics").beginArray().beginObject().field("Name", metric).field("Unit", unit).endObject().endArray()
                .endObject().endArray()
                .endObject();
        dimensions.forEach(json::field);
        json.name(metric);
        if (values.size() == 1) {
            value(json, unit, values.get(0));
        } else {
            json.beginArray();
            values.forEach(v -> value(json, unit, v));
            json.endArray();
        }
        return json.endObject().toString();
    }

    private static void value(JsonLine json, String unit, long value) {
        if (MILLISECONDS.equals(unit)) {
            json.millis(value);
        } else {
            json.value(value);
        }
    }
}
