package com.hourlyanalytics.bench.httpclient;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.ChildJvm;
import com.hourlyanalytics.bench.Samples;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compares the SDK's synchronous HTTP clients for the functions' DynamoDB client: bytes each adds to a
 * function jar, init time and first call in a fresh JVM, and warm per-call latency against dynalite on
 * 127.0.0.1. Runs are interleaved across clients so that machine noise hits them alike.
 * Options: {@link #USAGE}.
 */
public final class HttpClientComparison {

    static final String USAGE = """
            usage: bench/http-clients.sh [--runs 5] [--calls 2000]
            --runs fresh JVMs per client, --calls timed warm calls per operation in each.""";

    /** Each client and the artifacts it brings into a shaded jar (the SDK core is common to all). */
    private static final Map<String, List<String>> ARTIFACTS = new LinkedHashMap<>();

    static {
        ARTIFACTS.put("url-connection", List.of("url-connection-client"));
        ARTIFACTS.put("apache", List.of("apache-client", "httpclient", "httpcore", "commons-codec", "commons-logging"));
        ARTIFACTS.put("crt", List.of("aws-crt-client", "crt-core", "aws-crt"));
    }

    private static final List<String> FIGURES = List.of(
            "initMs", "firstCallMs", "getP50Ms", "getP99Ms", "updateP50Ms", "updateP99Ms", "cpuPerCallMs");
    private static final String TABLE = "http-client-bench";

    private HttpClientComparison() {
    }

    public static void main(String[] args) {
        BenchArgs options = BenchArgs.parseOrExit(args, USAGE, Map.of("runs", "5", "calls", "2000"));
        int runs = options.integer("runs");
        int calls = options.integer("calls");
        Path root = BenchArgs.repoRoot();
        String classpath = System.getProperty("java.class.path");
        try (DynaliteProcess dynalite = DynaliteProcess.start(root, Optional.empty(), 0)) {
            String endpoint = dynalite.endpoint().toString();
            try (var client = DynamoDbClients.create(StoreSettings.fromEnvironment(Map.of(
                    StoreSettings.TABLE_NAME, TABLE, StoreSettings.DYNAMODB_ENDPOINT, endpoint)), List.of())) {
                CounterTable.createIfMissing(client, TABLE);
            }
            Samples samples = new Samples();
            for (int run = 1; run <= runs; run++) {
                for (String name : ARTIFACTS.keySet()) {
                    Map<String, String> result = ChildJvm.run(ChildJvm.LAMBDA_JAVA21_OPTIONS, classpath,
                            HttpClientRun.class.getName(), List.of(name, endpoint, TABLE, Integer.toString(calls)), Map.of());
                    System.out.println("run " + run + " " + name + ": " + result);
                    samples.add(name, result, FIGURES);
                }
            }
            System.out.printf("%nmedian of %d runs (fresh JVM each, %d warm calls per operation, %d cores, java %s,"
                            + " JVM options %s)%n", runs, calls, Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), ChildJvm.LAMBDA_JAVA21_OPTIONS);
            String format = "%-15s %10s %8s %13s %10s %10s %13s %13s %11s%n";
            System.out.printf(format, "client", "jar-bytes", "init-ms", "first-call-ms", "get-p50-ms", "get-p99-ms",
                    "update-p50-ms", "update-p99-ms", "cpu/call-ms");
            for (String name : ARTIFACTS.keySet()) {
                List<Object> row = new ArrayList<>(List.of(name, jarBytes(ARTIFACTS.get(name), classpath)));
                FIGURES.forEach(figure -> row.add(samples.median(name, figure)));
                System.out.printf(format, row.toArray());
            }
        }
    }

    /** The compressed size of the client's jars, which is what shading adds to a function jar. */
    private static long jarBytes(List<String> artifacts, String classpath) {
        long total = 0;
        for (String entry : classpath.split(File.pathSeparator)) {
            String file = new File(entry).getName();
            for (String artifact : artifacts) {
                if (file.matches(Pattern.quote(artifact) + "-\\d.*\\.jar")) {
                    total += new File(entry).length();
                }
            }
        }
        return total;
    }
}
