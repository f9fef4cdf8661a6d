package com.hourlyanalytics.local;

import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Integration-test access to a real dynalite: started on a free port, one fresh table per test. */
final class Emulator {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private Emulator() {
    }

    static DynaliteProcess start() {
        return DynaliteProcess.start(ApiEvents.repoRoot(), Optional.empty(), 0);
    }

    /** On disk, so its data survives {@link DynaliteProcess#kill()} and {@link DynaliteProcess#restart()}. */
    static DynaliteProcess start(Path dataDir) {
        return DynaliteProcess.start(ApiEvents.repoRoot(), Optional.of(dataDir), 0);
    }

    /** The local runner on a free port with its own dynalite (on disk in dataDir, if given) and default settings. */
    static LocalRunner runner(Optional<Path> dataDir) throws IOException {
        return runner(dataDir, LocalRunner.Mode.IN_PROCESS);
    }

    /** The same, with the handlers in this JVM or in Lambda containers under the real runtime client. */
    static LocalRunner runner(Optional<Path> dataDir, LocalRunner.Mode mode) throws IOException {
        return warmUp(new LocalRunner(new LocalRunner.Options(0, dataDir, ApiEvents.repoRoot(), Map.of(), LocalApiServer.Limits.DEFAULT)
                .withMode(mode)));
    }

    /**
     * One request to each function that writes nothing, given a minute: a cold start on a loaded CI machine can
     * outlast the tests' 10 s hang bound (7.6 s of init seen here), which would then fail the first test.
     */
    static LocalRunner warmUp(LocalRunner runner) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String method : List.of("GET", "POST")) {
                http.send(HttpRequest.newBuilder(URI.create(runner.baseUri() + "/analytics?timestamp=0&event=warm-up"))
                        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            return runner;
        } catch (IOException | InterruptedException e) {
            runner.close();
            throw new IllegalStateException("the runner did not answer its warm-up requests", e);
        }
    }

    static StoreSettings settings(DynaliteProcess dynalite, String table) {
        return StoreSettings.fromEnvironment(Map.of(
                StoreSettings.TABLE_NAME, table,
                StoreSettings.DYNAMODB_ENDPOINT, dynalite.endpoint().toString()));
    }

    /** A client built exactly as the functions build theirs, plus the given interceptors. */
    static DynamoDbClient client(DynaliteProcess dynalite, ExecutionInterceptor... interceptors) {
        return DynamoDbClients.create(settings(dynalite, "unused"), List.of(interceptors));
    }

    static String newTable(DynamoDbClient client) {
        String table = "counters-" + TABLES.incrementAndGet();
        CounterTable.createIfMissing(client, table);
        return table;
    }
}
