package com.hourlyanalytics.observability;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** A sink that keeps what the observer writes, parsed with a real JSON parser, plus deterministic time. */
public final class CapturedLines implements Consumer<String> {

    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    public static final Instant NOW = Instant.parse("2024-03-01T10:15:00Z");

    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void accept(String line) {
        lines.add(line);
    }

    /** An observer writing here, whose clock says {@link #NOW} and whose nanoTime advances by {@code stepNanos} per reading. */
    public RequestObserver observer(long stepNanos) {
        return new RequestObserver(this, Clock.fixed(NOW, ZoneOffset.UTC), steppingNanoTime(stepNanos));
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The one request log line (the only line without EMF metadata). */
    public JsonNode requestLog() {
        List<JsonNode> logs = parsed().stream().filter(node -> !node.has("_aws")).toList();
        if (logs.size() != 1) {
            throw new AssertionError("expected one request log line, got " + lines);
        }
        return logs.get(0);
    }

    /** The EMF lines, in the order written. */
    public List<JsonNode> metrics() {
        return parsed().stream().filter(node -> node.has("_aws")).toList();
    }

    public List<JsonNode> parsed() {
        return lines().stream().map(CapturedLines::parse).toList();
    }

    public static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    public static LongSupplier steppingNanoTime(long stepNanos) {
        long[] now = {0};
        return () -> now[0] += stepNanos;
    }

    /** The EMF document CloudWatch expects for one value of one metric. */
    public static JsonNode emf(String metric, String unit, String dimension, String dimensionValue, String value) {
        String dimensions = dimension == null ? "[[]]" : "[[\"" + dimension + "\"]]";
        String dimensionMember = dimension == null ? "" : ",\"" + dimension + "\":\"" + dimensionValue + "\"";
        return parse("{\"_aws\":{\"Timestamp\":1709288100000,\"CloudWatchMetrics\":[{\"Namespace\":\"HourlyAnalytics\","
                + "\"Dimensions\":" + dimensions + ",\"Metrics\":[{\"Name\":\"" + metric + "\",\"Unit\":\"" + unit + "\"}]}]}"
                + dimensionMember + ",\"" + metric + "\":" + value + "}");
    }
}
