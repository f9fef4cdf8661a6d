package com.hourlyanalytics.bench.coldstart;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.bench.ChildJvm;
import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cold start of each function from its shaded jar: RUNS fresh JVMs per function and mode (as Lambda starts it,
 * and with the SnapStart priming hook run before the first request), each serving its events/*.json request
 * from a dynalite on 127.0.0.1. Prints each run and the medians.
 * Usage: ColdStartBenchmark [RUNS] [JVM options for the function JVMs...]   (bench/cold-start.sh)
 */
public final class ColdStartBenchmark {

    private record Function(String name, Path jar, String handler, String event, int expectedStatus) {
    }

    private static final List<String> FIGURES = List.of("jvmStartMs", "initMs", "primeMs", "firstRequestMs", "initPlusFirstMs",
            "secondRequestMs");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> jvmOptions = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of();
        Path root = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath();
        List<Function> functions = List.of(
                new Function("ingest", root.resolve("ingest-function/target/ingest-function.jar"),
                        "com.hourlyanalytics.ingest.IngestHandler", "events/post-click.json", 204),
                new Function("query", root.resolve("query-function/target/query-function.jar"),
                        "com.hourlyanalytics.query.QueryHandler", "events/get-hour.json", 200));
        String table = "cold-start-bench";

        try (DynaliteProcess dynalite = DynaliteProcess.start(root, Optional.empty(), 0)) {
            Map<String, String> environment = Map.of(StoreSettings.TABLE_NAME, table,
                    StoreSettings.DYNAMODB_ENDPOINT, dynalite.endpoint().toString(), StoreSettings.AWS_REGION, "us-east-1");
            try (var client = DynamoDbClients.create(StoreSettings.fromEnvironment(environment), List.of())) {
                CounterTable.createIfMissing(client, table);
            }
            Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
            for (int run = 1; run <= runs; run++) {
                for (Function function : functions) {
                    for (boolean prime : List.of(false, true)) {
                        Map<String, String> result = ChildJvm.run(jvmOptions, probeClasspath(function.jar()),
                                ColdStartProbe.class.getName(),
                                List.of(function.handler(), root.resolve(function.event()).toString(), Boolean.toString(prime)),
                                environment);
                        if (Integer.parseInt(result.get("status")) != function.expectedStatus()) {
                            throw new IllegalStateException(function.name() + " answered " + result.get("status"));
                        }
                        double jvmStart = Stats.millis(Long.parseLong(result.get("mainEntryNanos"))
                                - Long.parseLong(result.get("spawnNanos")));
                        result.put("jvmStartMs", Stats.format(jvmStart));
                        result.put("initPlusFirstMs", Stats.format(Double.parseDouble(result.get("initMs"))
                                + Double.parseDouble(result.get("firstRequestMs"))));
                        String row = function.name() + (prime ? " primed" : " cold");
                        System.out.println("run " + run + " " + row + ": " + result);
                        FIGURES.forEach(figure -> figures.computeIfAbsent(row, r -> new LinkedHashMap<>())
                                .computeIfAbsent(figure, f -> new ArrayList<>()).add(Double.parseDouble(result.get(figure))));
                    }
                }
            }
            System.out.printf("%nmedian of %d runs (fresh JVM each; %d cores; java %s; JVM options %s)%n",
                    runs, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), jvmOptions);
            System.out.printf("%-14s %10s %12s %8s %8s %16s %16s %17s%n", "function", "jar-bytes", "jvm-start-ms",
                    "init-ms", "prime-ms", "first-request-ms", "init+first-ms", "second-request-ms");
            for (Function function : functions) {
                for (String mode : List.of(" cold", " primed")) {
                    Map<String, List<Double>> values = figures.get(function.name() + mode);
                    System.out.printf("%-14s %10d %12s %8s %8s %16s %16s %17s%n", function.name() + mode,
                            Files.size(function.jar()), median(values, "jvmStartMs"), median(values, "initMs"),
                            median(values, "primeMs"), median(values, "firstRequestMs"), median(values, "initPlusFirstMs"),
                            median(values, "secondRequestMs"));
                }
            }
        }
    }

    private static String median(Map<String, List<Double>> values, String figure) {
        return Stats.format(Stats.median(values.get(figure)));
    }

    /** The function jar first, then only this probe's jar and Jackson's three jars. */
    private static String probeClasspath(Path functionJar) {
        List<String> entries = new ArrayList<>(List.of(functionJar.toString()));
        for (Class<?> type : List.of(ColdStartProbe.class, ObjectMapper.class, JsonFactory.class, JsonProperty.class)) {
            entries.add(new File(type.getProtectionDomain().getCodeSource().getLocation().getPath()).getPath());
        }
        return String.join(File.pathSeparator, entries);
    }
}
