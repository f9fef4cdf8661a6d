package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.cost.WriteUnitsTable.Row;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code bench/cost.sh --units}: the store's units and the function's log bytes of each kind of request, one request
 * at a time, so each figure is one request's. Single POSTs, a GET and one 100-line batch go through
 * {@code ./run --lambda} (one container per function, the {@link ContainerStoreCounter} in it); the marker cache
 * holds one entry, so that a user is made "not cached" by posting another user in between (as a second container
 * would see it). Batches are also sent to the same {@link DynamoDbCounterStore} in this JVM, on a client that waits
 * {@link #PATIENCE} per call instead of the function's 1 s: on a loaded 2-core machine the emulator can take longer
 * than that for a 100-action transaction, and units do not depend on time.
 */
public final class WriteUnits {

    static final Duration PATIENCE = Duration.ofMinutes(2);

    private final ContainerLog log = new ContainerLog();
    private final UnitsTraffic traffic = new UnitsTraffic();

    public static void main(String[] argv) {
        PrintStream out = System.out;
        try {
            out.print(new WriteUnits().run());
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("WRITE UNITS RUN FAILED: " + e);
            System.exit(1);
        }
        System.exit(0);
    }

    private String run() throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.put(StoreSettings.TABLE_NAME, "write-units");
        environment.put(StoreSettings.MARKER_CACHE_ENTRIES, "1");
        Path jar = CounterJar.write(Files.createTempDirectory("write-units"));
        // Container lines (store calls, REPORT, the function's log) reach the log through System.out, as in ./run --lambda.
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), BenchArgs.repoRoot(), environment,
                LocalApiServer.Limits.DEFAULT, List.of()).inContainers(1, List.of(jar)))) {
            traffic.service(runner.baseUri());
            // Cold starts and their priming calls are not any request's.
            traffic.post(traffic.user(), null);
            traffic.batch(List.of(traffic.user(), traffic.user()));
            traffic.get();
            log.takeAfterQuiet(1_000);

            List<Row> rows = new ArrayList<>();
            String first = traffic.user();
            String second = traffic.user();
            rows.add(single("POST, new user-hour", first, null));
            rows.add(single("POST, new user-hour, event_id", second, traffic.id()));
            rows.add(single("POST, repeat user-hour, marker cached", second, null));
            rows.add(single("POST, repeat user-hour, marker cached, event_id", second, traffic.id()));
            rows.add(single("POST, repeat user-hour, marker not cached", first, null));
            String resent = traffic.id();
            rows.add(single("POST, repeat user-hour, marker not cached, event_id", second, resent));
            rows.add(single("POST, resend of a counted event_id", second, resent));
            traffic.batch(traffic.users(100, 10));
            rows.add(new Row("batch of 100 lines, 10 lines per new user-hour (through --lambda)", 100, take(RunCounts.INGEST, 1)));
            traffic.get();
            Row getRow = new Row("GET of an hour", 0, take(RunCounts.QUERY, 1));
            // The store the containers have (LocalStore): this dynalite, the local pseudonym key, markers kept.
            Map<String, String> inProcess = new HashMap<>(environment);
            inProcess.put(StoreSettings.DYNAMODB_ENDPOINT, runner.dynalite().orElseThrow().endpoint().toString());
            inProcess.put(StoreSettings.PSEUDONYM_KEY_SECRET, "");
            inProcess.putIfAbsent(StoreSettings.MARKER_RETENTION_DAYS, "0");
            rows.addAll(inProcessBatches(StoreSettings.fromEnvironment(inProcess)));
            return WriteUnitsTable.print(rows, getRow);
        }
    }

    /** Batches of 100 lines and of the most the API takes, with and without event ids, through the store in this JVM. */
    private List<Row> inProcessBatches(StoreSettings settings) throws Exception {
        List<Row> rows = new ArrayList<>();
        ContainerStoreCounter counter = new ContainerStoreCounter("[" + RunCounts.INGEST + "#0] ");
        try (DynamoDbClient client = DynamoDbClient.builder().region(Region.of(settings.region())).endpointOverride(settings.endpoint().orElseThrow())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(PATIENCE).apiCallTimeout(PATIENCE)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(counter))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(PATIENCE)).build()) {
            DynamoDbCounterStore store = new DynamoDbCounterStore(client, settings, Clock.systemUTC());
            Partner partner = new Partner("units");
            for (int lines : new int[] {100, RequestValidator.MAX_BATCH_LINES}) {
                for (int perUser : new int[] {1, 10}) {
                    for (boolean ids : new boolean[] {false, true}) {
                        List<String> users = traffic.users(lines, perUser);
                        List<AnalyticsEvent> events = new ArrayList<>();
                        for (int i = 0; i < users.size(); i++) {
                            events.add(new AnalyticsEvent(traffic.timestamp, users.get(i), i % 4 == 0 ? EventType.CLICK : EventType.IMPRESSION,
                                    ids ? traffic.id() : null));
                        }
                        long newUsers = store.recordBatch(partner, events);
                        if (newUsers != lines / perUser) {
                            throw new IllegalStateException("expected " + lines / perUser + " new users, the store counted " + newUsers);
                        }
                        rows.add(new Row(String.format(Locale.ROOT, "batch of %,d lines, %s%s", lines,
                                perUser == 1 ? "every line a new user-hour" : perUser + " lines per new user-hour",
                                ids ? ", event_id on every line" : ""),
                                lines, take(RunCounts.INGEST, 0)));
                    }
                }
            }
        }
        return rows;
    }

    private Row single(String name, String user, String eventId) throws Exception {
        traffic.post(user, eventId);
        return new Row(name, 1, take(RunCounts.INGEST, 1));
    }

    /** What {@code function} used since the last take: {@code invocations} of it (0 in this JVM) and nothing else. */
    private FunctionUsage take(String function, int invocations) throws InterruptedException {
        Map<String, FunctionUsage> used = log.takeAfterQuiet(500);
        if (used.keySet().stream().anyMatch(f -> !f.equals(function))) {
            throw new IllegalStateException("expected only " + function + " lines, got " + used.keySet());
        }
        FunctionUsage usage = used.getOrDefault(function, new FunctionUsage());
        if (usage.invocations != invocations) {
            throw new IllegalStateException("expected " + invocations + " invocations of " + function + ", got " + usage.invocations);
        }
        return usage;
    }
}
