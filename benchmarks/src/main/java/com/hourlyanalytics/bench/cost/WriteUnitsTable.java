package com.hourlyanalytics.bench.cost;

import java.util.List;
import java.util.Locale;

/** {@link WriteUnits}' table: per request kind its store calls, write units per event, read units, log bytes. */
final class WriteUnitsTable {

    /** One request kind and what it used. */
    record Row(String name, long events, FunctionUsage used) {
    }

    private WriteUnitsTable() {
    }

    static String print(List<Row> rows, Row get) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "One request at a time, marker cache 1 entry, every event in one hour; POSTs and GET through ./run --lambda "
                        + "(one container per function), other batches through the store in this JVM.%n%n"
                        + "| request | events | store calls | write units per event | read units per request "
                        + "| function log lines, bytes |%n|---|---:|---|---:|---:|---|%n"));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.4f | %.1f | %s |%n", row.name(), row.events(),
                    calls(row.used()), row.used().writeUnits / row.events(), row.used().readUnits, logged(row.used())));
        }
        out.append(String.format(Locale.ROOT, "| %s | - | %s | - | %.1f | %s |%n", get.name(), calls(get.used()),
                get.used().readUnits, logged(get.used())));
        return out.toString();
    }

    /** The function's own log lines and bytes; none for the batches sent to the store in this JVM. */
    private static String logged(FunctionUsage used) {
        return used.invocations == 0 ? "-" : String.format(Locale.ROOT, "%d, %,d", used.logLines, used.logBytes);
    }

    /** Each operation's calls, with the outcomes that were not ok (cancelled transactions, refused puts). */
    private static String calls(FunctionUsage used) {
        StringBuilder text = new StringBuilder();
        used.calls.forEach((operation, count) -> text.append(text.isEmpty() ? "" : ", ").append(operation).append(' ').append(count));
        used.outcomes.forEach((outcome, count) -> {
            if (!outcome.equals(ContainerStoreCounter.OK)) {
                text.append(" (").append(count).append(' ').append(outcome).append(')');
            }
        });
        return text.isEmpty() ? "none" : text.toString();
    }
}
