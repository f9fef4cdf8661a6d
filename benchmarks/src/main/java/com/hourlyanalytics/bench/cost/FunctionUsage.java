package com.hourlyanalytics.bench.cost;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What one function's containers used over a phase: invocations, billed time, cold starts, store calls and units. */
final class FunctionUsage {

    private static final Set<String> READS = Set.of("BatchGetItem", "GetItem", "Query");

    long invocations;
    /** Lambda bills each invocation's duration rounded up to the next millisecond. */
    long billedMillis;
    double durationMillis;
    int coldStarts;
    double initMillis;
    final Map<String, Long> calls = new TreeMap<>();
    final Map<String, Long> outcomes = new TreeMap<>();
    double writeUnits;
    double readUnits;
    /** The function's own log lines (request log, metric lines), as CloudWatch Logs would ingest them. */
    long logLines;
    long logBytes;

    void invocation(double millis, double initDurationMillis) {
        invocations++;
        durationMillis += millis;
        billedMillis += (long) Math.ceil(millis);
        if (initDurationMillis >= 0) {
            coldStarts++;
            initMillis += initDurationMillis;
        }
    }

    void storeCall(String operation, String outcome, double units) {
        calls.merge(operation, 1L, Long::sum);
        outcomes.merge(outcome, 1L, Long::sum);
        if (READS.contains(operation)) {
            readUnits += units;
        } else {
            writeUnits += units;
        }
    }

    void logLine(String text) {
        logLines++;
        logBytes += text.getBytes(StandardCharsets.UTF_8).length;
    }

    long calls(String operation) {
        return calls.getOrDefault(operation, 0L);
    }

    long outcomes(String outcome) {
        return outcomes.getOrDefault(outcome, 0L);
    }
}
