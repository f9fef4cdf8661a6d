package com.hourlyanalytics.bench.coldstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.ChildJvm;
import com.hourlyanalytics.bench.Samples;
import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cold start of each function from its shaded jar: RUNS fresh JVMs per function and mode (as Lambda starts it,
 * and with the SnapStart priming hook run before the first request), each serving its events/*.json request
 * from a dynalite on 127.0.0.1. Prints each run and the medians.
 * Usage: ColdStartBenchmark [RUNS] [JVM options for the function JVMs, default Lambda's]   (bench/cold-start.sh)
 */
public final class ColdStartBenchmark {

    private record Function(String name, String handler, String event, int expectedStatus) {

        Path jar(Path root) {
            return root.resolve(name + "-function/target/" + name + "-function.jar");
        }
    }

    private static final List<Function> FUNCTIONS = List.of(
            new Function("ingest", "com.hourlyanalytics.ingest.IngestHandler", "events/post-click.json", 204),
            new Function("query", "com.hourlyanalytics.query.QueryHandler", "events/get-hour.json", 200));
    private static final List<String> FIGURES = List.of(
            "jvmStartMs", "initMs", "primeMs", "firstRequestMs", "initPlusFirstMs", "secondRequestMs",
            "initCpuMs", "firstRequestCpuMs", "initPlusFirstCpuMs");
    private static final String TABLE = "cold-start-bench";

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> jvmOptions = args.length > 1
                ? Arrays.asList(args).subList(1, args.length) : ChildJvm.LAMBDA_JAVA21_OPTIONS;
        Path root = BenchArgs.repoRoot();

        try (DynaliteProcess dynalite = DynaliteProcess.start(root, Optional.empty(), 0)) {
            Map<String, String> environment = Map.of(StoreSettings.TABLE_NAME, TABLE,
                    StoreSettings.DYNAMODB_ENDPOINT, dynalite.endpoint().toString(),
                    StoreSettings.AWS_REGION, "us-east-1");
            try (var client = DynamoDbClients.create(StoreSettings.fromEnvironment(environment), List.of())) {
                CounterTable.createIfMissing(client, TABLE);
            }
            Samples samples = new Samples();
            for (int run = 1; run <= runs; run++) {
                for (Function function : FUNCTIONS) {
                    for (boolean prime : List.of(false, true)) {
                        Map<String, String> result = coldStart(function, prime, root, jvmOptions, environment);
                        String row = row(function, prime);
                        System.out.println("run " + run + " " + row + ": " + result);
                        samples.add(row, result, FIGURES);
                    }
                }
            }
            System.out.printf("%nmedian of %d runs (fresh JVM each; %d cores; java %s; JVM options %s)%n",
                    runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), jvmOptions);
            String format = "%-14s %10s %12s %8s %8s %16s %13s %17s %12s %15s %17s%n";
            System.out.printf(format, "function", "jar-bytes", "jvm-start-ms", "init-ms", "prime-ms",
                    "first-request-ms", "init+first-ms", "second-request-ms", "init-cpu-ms", "first-req-cpu-ms",
                    "init+first-cpu-ms");
            for (Function function : FUNCTIONS) {
                for (boolean prime : List.of(false, true)) {
                    String row = row(function, prime);
                    List<Object> cells = new ArrayList<>(List.of(row, Files.size(function.jar(root))));
                    FIGURES.forEach(figure -> cells.add(samples.median(row, figure)));
                    System.out.printf(format, cells.toArray());
                }
            }
        }
    }

    private static String row(Function function, boolean prime) {
        return function.name() + (prime ? " primed" : " cold");
    }

    private static Map<String, String> coldStart(Function function, boolean prime, Path root, List<String> jvmOptions,
                                                 Map<String, String> environment) throws IOException {
        List<String> args = new ArrayList<>(List.of(function.handler(), Boolean.toString(prime)));
        args.addAll(requestArguments(root.resolve(function.event())));
        Map<String, String> result = ChildJvm.run(jvmOptions, probeClasspath(function.jar(root)),
                ColdStartProbe.class.getName(), args, environment);
        if (Integer.parseInt(result.get("status")) != function.expectedStatus()) {
            throw new IllegalStateException(function.name() + " answered " + result.get("status"));
        }
        // Both processes read the same monotonic clock (CLOCK_MONOTONIC on Linux).
        long jvmStart = Long.parseLong(result.get("mainEntryNanos")) - Long.parseLong(result.get("spawnNanos"));
        result.put("jvmStartMs", Stats.format(Stats.millis(jvmStart)));
        result.put("initPlusFirstMs", sum(result, "initMs", "firstRequestMs"));
        result.put("initPlusFirstCpuMs", sum(result, "initCpuMs", "firstRequestCpuMs"));
        return result;
    }

    private static String sum(Map<String, String> result, String first, String second) {
        return Stats.format(Double.parseDouble(result.get(first)) + Double.parseDouble(result.get(second)));
    }

    /** What the probe needs of an API Gateway event: method, resource, request id and the query parameters. */
    private static List<String> requestArguments(Path eventFile) throws IOException {
        JsonNode event = new ObjectMapper().readTree(eventFile.toFile());
        List<String> args = new ArrayList<>(List.of(event.get("httpMethod").asText(), event.get("resource").asText(),
                event.get("requestContext").get("requestId").asText()));
        event.get("queryStringParameters").properties().forEach(p -> args.add(p.getKey() + "=" + p.getValue().asText()));
        return args;
    }

    /** The function jar first, then the probe's jar, of which only the probe and its two helpers load. */
    private static String probeClasspath(Path functionJar) {
        String probeJar = new File(ColdStartProbe.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath();
        return functionJar + File.pathSeparator + probeJar;
    }
}
