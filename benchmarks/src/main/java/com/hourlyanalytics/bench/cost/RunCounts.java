package com.hourlyanalytics.bench.cost;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;

/** A cost run's counts, per request type, as measured: what {@link CostModel} prices. Saved as a properties file. */
final class RunCounts {

    static final String INGEST = "IngestFunction";
    static final String QUERY = "QueryFunction";
    static final String POST = "post";
    static final String GET = "get";

    static String batch(int lines) {
        return "batch" + lines;
    }

    private final Properties values = new Properties();

    RunCounts(int containers, int clients, int shards, int markerCache) {
        set("date", LocalDate.now(ZoneOffset.UTC).toString());
        set("containers", containers);
        set("clients", clients);
        set("shards", shards);
        set("markerCache", markerCache);
    }

    private RunCounts() {
    }

    static RunCounts load(Path file) throws IOException {
        RunCounts counts = new RunCounts();
        try (Reader in = Files.newBufferedReader(file)) {
            counts.values.load(in);
        }
        return counts;
    }

    void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer writer = Files.newBufferedWriter(file)) {
            values.store(writer, "bench/cost.sh run; bench/cost.sh --from " + file.getFileName() + " prints its table again");
        }
    }

    void warmup(Map<String, FunctionUsage> usage) {
        coldStarts(usage);
    }

    void mix(Map<String, FunctionUsage> usage, long requests, long posts, long newUserHours) {
        coldStarts(usage);
        type(POST, usage.get(INGEST), posts, posts);
        type(GET, usage.get(QUERY), requests - posts, 0);
        set("post.newUserHours", newUserHours);
    }

    void batches(int lines, Map<String, FunctionUsage> usage, long batches) {
        coldStarts(usage);
        type(batch(lines), usage.get(INGEST), batches, batches * lines);
    }

    void hoursChecked(long hours) {
        set("hoursChecked", hours);
    }

    void rest(Map<String, FunctionUsage> usage) {
        coldStarts(usage);
    }

    private void type(String type, FunctionUsage usage, long requests, long events) {
        FunctionUsage used = usage == null ? new FunctionUsage() : usage;
        set(type + ".requests", requests);
        set(type + ".events", events);
        set(type + ".invocations", used.invocations);
        set(type + ".billedMillis", used.billedMillis);
        set(type + ".durationMillis", used.durationMillis);
        set(type + ".writeUnits", used.writeUnits);
        set(type + ".readUnits", used.readUnits);
        for (String operation : ContainerStoreCounter.OPERATIONS) {
            set(type + ".calls." + operation, used.calls(operation));
        }
        set(type + ".refused", used.outcomes(ContainerStoreCounter.REFUSED));
        set(type + ".cancelled", used.outcomes(ContainerStoreCounter.CANCELLED));
        set(type + ".failedCalls", used.calls.values().stream().mapToLong(Long::longValue).sum()
                - used.outcomes(ContainerStoreCounter.OK) - used.outcomes(ContainerStoreCounter.REFUSED)
                - used.outcomes(ContainerStoreCounter.CANCELLED));
        set(type + ".logBytes", used.logBytes);
        set(type + ".logLines", used.logLines);
    }

    private void coldStarts(Map<String, FunctionUsage> usage) {
        usage.forEach((function, used) -> {
            set(function + ".coldStarts", number(function + ".coldStarts") + used.coldStarts);
            set(function + ".initMillis", number(function + ".initMillis") + used.initMillis);
        });
    }

    double number(String key) {
        return Double.parseDouble(values.getProperty(key, "0"));
    }

    String text(String key) {
        return values.getProperty(key, "");
    }

    private void set(String key, Object value) {
        values.setProperty(key, String.valueOf(value));
    }
}
