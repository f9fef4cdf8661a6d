package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.local.template.ServerlessFunction;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Dollars per million events (and GETs) from a run's {@link RunCounts} and the one price table
 * (bench/prices.properties: us-east-1 on-demand prices, free tiers left out, with the date they were read and
 * their sources), at the MemorySize template.yaml gives each function.
 */
final class CostModel {

    private CostModel() {
    }

    /** One line of the table: its parts, in dollars per million of {@code per}. */
    private record Line(String name, String per, double apiGateway, double lambdaRequests, double lambdaCompute,
                        double writes, double reads) {
        double total() {
            return apiGateway + lambdaRequests + lambdaCompute + writes + reads;
        }
    }

    static String table(RunCounts run, Path pricesFile, Path repoRoot) throws IOException {
        Properties prices = new Properties();
        try (Reader in = Files.newBufferedReader(pricesFile)) {
            prices.load(in);
        }
        Map<String, ServerlessFunction> functions = ServerlessFunction.readAll(repoRoot.resolve("template.yaml"));
        int ingestMb = functions.get(RunCounts.INGEST).memoryMb();
        int queryMb = functions.get(RunCounts.QUERY).memoryMb();
        double apiPerRequest = price(prices, "apigateway.rest.perMillionRequests") / 1e6;
        double lambdaPerRequest = price(prices, "lambda.perMillionRequests") / 1e6;
        double perGbSecond = price(prices, "lambda.perGbSecond");
        double perWriteUnit = price(prices, "dynamodb.onDemand.perMillionWriteRequestUnits") / 1e6;
        double perReadUnit = price(prices, "dynamodb.onDemand.perMillionReadRequestUnits") / 1e6;

        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Run of %s: %.0f containers per function, %.0f clients, %.0f counter shard(s), "
                        + "marker cache %.0f entries; template.yaml MemorySize: IngestFunction %d MB, QueryFunction %d MB.%n",
                run.text("date"), run.number("containers"), run.number("clients"), run.number("shards"),
                run.number("markerCache"), ingestMb, queryMb));
        out.append(String.format(Locale.ROOT, "Prices: %s (%s), read %s; free tiers left out.%n%n",
                pricesFile.getFileName(), prices.getProperty("region"), prices.getProperty("date")));

        out.append("| request type | requests | events | billed ms per invocation (mean) | store calls per request "
                + "| write units per event | read units per request | function log bytes per request |\n|---|---:|---:|---:|---|---:|---:|---:|\n");
        for (String type : new String[] {RunCounts.POST, RunCounts.batch(100), RunCounts.batch(RequestValidator.MAX_BATCH_LINES), RunCounts.GET}) {
            double requests = run.number(type + ".requests");
            double events = Math.max(run.number(type + ".events"), 1);
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %.2f | %s (refused puts %.3f, cancelled transactions %.3f, failed %.0f) | %s | %.2f | %,.0f |%n",
                    label(type), requests, run.number(type + ".events"),
                    run.number(type + ".billedMillis") / Math.max(run.number(type + ".invocations"), 1),
                    calls(run, type, requests), run.number(type + ".refused") / requests, run.number(type + ".cancelled") / requests,
                    run.number(type + ".failedCalls"),
                    type.equals(RunCounts.GET) ? "-" : String.format(Locale.ROOT, "%.4f", run.number(type + ".writeUnits") / events),
                    run.number(type + ".readUnits") / requests, run.number(type + ".logBytes") / Math.max(run.number(type + ".invocations"), 1)));
        }

        Line[] lines = {
                perEvent("(a) single POSTs", run, RunCounts.POST, ingestMb, apiPerRequest, lambdaPerRequest, perGbSecond, perWriteUnit, perReadUnit),
                perEvent("(b) batches of 100 lines", run, RunCounts.batch(100), ingestMb, apiPerRequest, lambdaPerRequest, perGbSecond, perWriteUnit, perReadUnit),
                perEvent("(b) batches of " + RequestValidator.MAX_BATCH_LINES + " lines", run, RunCounts.batch(RequestValidator.MAX_BATCH_LINES), ingestMb, apiPerRequest, lambdaPerRequest, perGbSecond, perWriteUnit, perReadUnit),
                perEvent("GETs of an hour", run, RunCounts.GET, queryMb, apiPerRequest, lambdaPerRequest, perGbSecond, perWriteUnit, perReadUnit),
        };
        out.append("\n| US$ per million | API Gateway (REST) | Lambda requests | Lambda GB-s | DynamoDB writes | DynamoDB reads | **total** |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        for (Line line : lines) {
            out.append(String.format(Locale.ROOT, "| %s (per million %s) | %.4f | %.4f | %.4f | %.4f | %.4f | **%.2f** |%n",
                    line.name(), line.per(), line.apiGateway(), line.lambdaRequests(), line.lambdaCompute(), line.writes(),
                    line.reads(), line.total()));
        }

        double posts = Math.max(run.number("post.requests"), 1);
        out.append(String.format(Locale.ROOT, "%nSingle POSTs over %.0f containers: %.3f new user-hours and %.3f cancelled transactions "
                        + "(a marker another container made, or a conflict) per POST.%n",
                run.number("containers"), run.number("post.newUserHours") / posts, run.number("post.cancelled") / posts));
        for (String function : new String[] {RunCounts.INGEST, RunCounts.QUERY}) {
            double cold = run.number(function + ".coldStarts");
            double initMs = run.number(function + ".initMillis") / Math.max(cold, 1);
            int mb = function.equals(RunCounts.INGEST) ? ingestMb : queryMb;
            out.append(String.format(Locale.ROOT, "%s: %.0f cold starts, mean Init Duration %.0f ms = US$%.7f each "
                            + "(Init is billed as duration since 2025-08-01), not in the table: their number follows how traffic arrives.%n",
                    function, cold, initMs, Math.ceil(initMs) / 1000 * mb / 1024.0 * perGbSecond));
        }
        out.append(String.format(Locale.ROOT, "Exactness: %.0f hours read back.%n", run.number("hoursChecked")));
        return out.toString();
    }

    /**
     * Per million events of {@code type} (per million requests for GETs): one API request and one invocation per
     * request, its mean billed duration at the function's memory, its measured units.
     */
    private static Line perEvent(String name, RunCounts run, String type, int memoryMb, double apiPerRequest,
                                 double lambdaPerRequest, double perGbSecond, double perWriteUnit, double perReadUnit) {
        boolean get = type.equals(RunCounts.GET);
        double requests = Math.max(run.number(type + ".requests"), 1);
        double per = get ? requests : Math.max(run.number(type + ".events"), 1);
        double requestsPerMillion = requests / per * 1e6;
        double billedSeconds = run.number(type + ".billedMillis") / Math.max(run.number(type + ".invocations"), 1) / 1000;
        double writeUnits = run.number(type + ".writeUnits") / per * 1e6;
        return new Line(name, get ? "GETs" : "events",
                requestsPerMillion * apiPerRequest,
                requestsPerMillion * lambdaPerRequest,
                requestsPerMillion * billedSeconds * memoryMb / 1024.0 * perGbSecond,
                writeUnits * perWriteUnit,
                run.number(type + ".readUnits") / per * 1e6 * perReadUnit);
    }

    /** Calls per request of each operation the store makes. */
    private static String calls(RunCounts run, String type, double requests) {
        return String.join(", ", ContainerStoreCounter.OPERATIONS.stream().map(operation -> String.format(Locale.ROOT,
                "%s %.3f", operation, run.number(type + ".calls." + operation) / requests)).toList());
    }

    private static String label(String type) {
        return switch (type) {
            case RunCounts.POST -> "POST /analytics";
            case RunCounts.GET -> "GET /analytics";
            default -> "POST /analytics/batch, " + type.substring("batch".length()) + " lines";
        };
    }

    private static double price(Properties prices, String key) {
        String value = prices.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("price table has no " + key);
        }
        return Double.parseDouble(value);
    }
}
