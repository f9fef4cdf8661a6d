package com.hourlyanalytics.observability;

import java.util.List;

/**
 * CloudWatch Embedded Metric Format: a JSON log line whose {@code _aws} metadata tells CloudWatch which of
 * its members are metrics, so metrics cost no API call. One line per metric and dimension value; a request's
 * repeated values of one metric share a line (EMF takes an array of values).
 */
final class MetricLines {

    static final String COUNT = "Count";
    static final String MILLISECONDS = "Milliseconds";

    private MetricLines() {
    }

    /**
     * @param dimension the dimension's name, or null for a metric without dimensions
     * @param values    counts, or nanoseconds when the unit is {@link #MILLISECONDS}
     */
    static String line(long timestampMillis, String metric, String unit, String dimension, String dimensionValue,
                       List<Long> values) {
        JsonLine json = new JsonLine().beginObject()
                .name("_aws").beginObject()
                .field("Timestamp", timestampMillis)
                .name("CloudWatchMetrics").beginArray().beginObject()
                .field("Namespace", MetricNames.NAMESPACE)
                .name("Dimensions").beginArray().beginArray();
        if (dimension != null) {
            json.value(dimension);
        }
        json.endArray().endArray()
                .name("Metrics").beginArray().beginObject().field("Name", metric).field("Unit", unit).endObject().endArray()
                .endObject().endArray()
                .endObject();
        if (dimension != null) {
            json.field(dimension, dimensionValue);
        }
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
