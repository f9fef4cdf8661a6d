package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * than that for a 100-action transaction, and units do not depend on time. Every event is in one hour. "Before" is
 * computed: the code before transactions made one conditional PutItem per user-hour the container had not seen
 * (1 unit, refused or not) and one UpdateItem ADD per hour touched (1 unit), and had no event ids.
 */
public final class WriteUnits {

    private record Row(String name, long events, double beforeUnits, FunctionUsage used) {
    }

    static final Duration PATIENCE = Duration.ofMinutes(2);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ContainerLog log = new ContainerLog();
    private final long timestamp = System.currentTimeMillis();
    private URI service;
    private int nextUser;
    private int nextId;

    public static void main(String[] argv) throws Exception {
        PrintStream out = System.out;
        WriteUnits units = new WriteUnits();
        try {
            out.print(units.run());
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
            service = runner.baseUri();
            // Cold starts and their priming calls are not any request's.
            post(user(), null);
            batch(List.of(user(), user()), false);
            get();
            log.takeAfterQuiet(1_000);

            List<Row> rows = new ArrayList<>();
            String first = user();
            String second = user();
            rows.add(single("POST, new user-hour", first, null, 2));
            rows.add(single("POST, new user-hour, event_id", second, id(), 2));
            rows.add(single("POST, repeat user-hour, marker cached", second, null, 1));
            rows.add(single("POST, repeat user-hour, marker cached, event_id", second, id(), 1));
            rows.add(single("POST, repeat user-hour, marker not cached", first, null, 2));
            String resent = id();
            rows.add(single("POST, repeat user-hour, marker not cached, event_id", second, resent, 2));
            rows.add(single("POST, resend of a counted event_id (before: counted again)", second, resent, 1));
            batch(users(100, 10), false);
            rows.add(new Row("batch of 100 lines, 10 lines per new user-hour (through --lambda)", 100, 100 / 10 + 1, take(RunCounts.INGEST)));
            get();
            Row getRow = new Row("GET of an hour", 0, 0, take(RunCounts.QUERY));
            rows.addAll(inProcessBatches(runner.dynalite().orElseThrow().endpoint(), StoreSettings.fromEnvironment(environment)));
            return table(rows, getRow);
        }
    }

    /** Each batch size and mix, with and without event ids, through the store in this JVM (fresh users each). */
    private List<Row> inProcessBatches(URI endpoint, StoreSettings settings) throws Exception {
        List<Row> rows = new ArrayList<>();
        ContainerStoreCounter counter = new ContainerStoreCounter("[" + RunCounts.INGEST + "#0] ");
        try (DynamoDbClient client = DynamoDbClient.builder().region(Region.of(settings.region())).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.apiCallAttemptTimeout(PATIENCE).apiCallTimeout(PATIENCE)
                        .retryStrategy(AwsRetryStrategy.doNotRetry()).addExecutionInterceptor(counter))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(PATIENCE)).build()) {
            DynamoDbCounterStore store = new DynamoDbCounterStore(client, settings, Clock.systemUTC());
            Partner partner = new Partner("units");
            for (int lines : new int[] {100, 10_000}) {
                for (int perUser : new int[] {1, 10}) {
                    for (boolean ids : new boolean[] {false, true}) {
                        List<String> users = users(lines, perUser);
                        List<AnalyticsEvent> events = new ArrayList<>();
                        for (int i = 0; i < users.size(); i++) {
                            events.add(new AnalyticsEvent(timestamp, users.get(i), i % 4 == 0 ? EventType.CLICK : EventType.IMPRESSION,
                                    ids ? id() : null));
                        }
                        long newUsers = store.recordBatch(partner, events);
                        if (newUsers != lines / perUser) {
                            throw new IllegalStateException("expected " + lines / perUser + " new users, the store counted " + newUsers);
                        }
                        rows.add(new Row(String.format(Locale.ROOT, "batch of %,d lines, %s%s", lines,
                                perUser == 1 ? "every line a new user-hour" : perUser + " lines per new user-hour",
                                ids ? ", event_id on every line" : ""),
                                lines, lines / perUser + 1, take(RunCounts.INGEST, 0)));
                    }
                }
            }
        }
        return rows;
    }

    /** {@code lines} lines of new users, each user on {@code perUser} lines in a row. */
    private List<String> users(int lines, int perUser) {
        List<String> users = new ArrayList<>();
        for (int u = 0; u < lines / perUser; u++) {
            String user = user();
            for (int e = 0; e < perUser; e++) {
                users.add(user);
            }
        }
        return users;
    }

    private Row single(String name, String user, String eventId, double beforeUnits) throws Exception {
        post(user, eventId);
        return new Row(name, 1, beforeUnits, take(RunCounts.INGEST));
    }

    private FunctionUsage take(String function) throws InterruptedException {
        return take(function, 1);
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

    private String user() {
        return "units-user-" + nextUser++;
    }

    private String id() {
        return "units-" + timestamp + "-" + nextId++;
    }

    private void post(String user, String eventId) throws Exception {
        send(HttpRequest.newBuilder(service.resolve("/analytics?timestamp=" + timestamp + "&user="
                        + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&event=click"
                        + (eventId == null ? "" : "&event_id=" + eventId)))
                .POST(HttpRequest.BodyPublishers.noBody()), 204);
    }

    private void batch(List<String> users, boolean ids) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < users.size(); i++) {
            body.append(timestamp).append(',').append(users.get(i)).append(',').append(i % 4 == 0 ? "click" : "impression");
            if (ids) {
                body.append(',').append(id());
            }
            body.append('\n');
        }
        send(HttpRequest.newBuilder(service.resolve("/analytics/batch")).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 204);
    }

    private void get() throws Exception {
        send(HttpRequest.newBuilder(service.resolve("/analytics?timestamp=" + timestamp)).GET(), 200);
    }

    private void send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(300)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": " + response.body().strip());
        }
    }

    private static String table(List<Row> rows, Row get) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "One request at a time, marker cache 1 entry, every event in one hour; POSTs and GET through ./run --lambda "
                        + "(one container per function), other batches through the store in this JVM.%n%n"
                        + "| request | events | store calls (after) | write units per event, before (computed) | after (measured) "
                        + "| read units per request, after | function log lines, bytes |%n|---|---:|---|---:|---:|---:|---|%n"));
        for (Row row : rows) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %s | %.4f | %.4f | %.1f | %s |%n", row.name(), row.events(),
                    calls(row.used()), row.beforeUnits() / row.events(), row.used().writeUnits / row.events(),
                    row.used().readUnits, logged(row.used())));
        }
        out.append(String.format(Locale.ROOT, "| %s | - | %s | - | - | %.1f | %s |%n", get.name(), calls(get.used()),
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
