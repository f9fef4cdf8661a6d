package com.hourlyanalytics.local;

import com.hourlyanalytics.api.ProxyRequests;
import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.query.QueryHandler;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./run}: the API on 127.0.0.1, backed by its own dynalite (in memory, or on disk with
 * {@code --data DIR}) or by {@code DYNAMODB_ENDPOINT}. Stops everything it started on Ctrl-C or SIGTERM.
 */
public final class LocalRunner implements AutoCloseable {

    static final String DEFAULT_TABLE = "hourly-analytics";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Optional<DynaliteProcess> dynalite;
    private final DynamoDbClient client;
    private final LocalApiServer server;

    /** @param storeInterceptors see every store call, e.g. the load benchmark's call counter; Lambda has none */
    public record Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                          LocalApiServer.Limits limits, List<ExecutionInterceptor> storeInterceptors) {

        public Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                       LocalApiServer.Limits limits) {
            this(port, dataDir, repoRoot, environment, limits, List.of());
        }
    }

    public LocalRunner(Options options) throws IOException {
        Map<String, String> environment = new HashMap<>(options.environment());
        environment.putIfAbsent(StoreSettings.TABLE_NAME, DEFAULT_TABLE);
        if (environment.getOrDefault(StoreSettings.DYNAMODB_ENDPOINT, "").isBlank()) {
            DynaliteProcess started = DynaliteProcess.start(options.repoRoot(), options.dataDir(), 0);
            dynalite = Optional.of(started);
            environment.put(StoreSettings.DYNAMODB_ENDPOINT, started.endpoint().toString());
        } else {
            dynalite = Optional.empty();
        }
        try {
            StoreSettings settings = StoreSettings.fromEnvironment(environment);
            client = DynamoDbClients.create(settings, options.storeInterceptors());
            createTable(client, settings.tableName());
            var store = new DynamoDbCounterStore(client, settings, Clock.systemUTC());
            var ingest = new IngestHandler(store, Clock.systemUTC());
            var query = new QueryHandler(store, Clock.systemUTC());
            server = new LocalApiServer(options.port(), List.of(ProxyRequests.ANALYTICS, ProxyRequests.ANALYTICS_BATCH), options.limits(),
                    ingest::handle,
                    query::handle);
        } catch (RuntimeException | IOException e) {
            dynalite.ifPresent(DynaliteProcess::close);
            throw e;
        }
    }

    /**
     * The first calls can outlast the store client's 1 s attempt timeout while a busy machine opens the
     * emulator's data, and the client rightly does not retry timeouts; creating the table is idempotent, so retry.
     */
    private static void createTable(DynamoDbClient client, String tableName) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            try {
                CounterTable.createIfMissing(client, tableName);
                return;
            } catch (SdkClientException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause(Duration.ofMillis(100));
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the table", e);
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public Optional<DynaliteProcess> dynalite() {
        return dynalite;
    }

    @Override
    public void close() {
        server.close();
        client.close();
        dynalite.ifPresent(DynaliteProcess::close);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ./run [--port N] [--data DIR]   (env: PORT, DYNAMODB_ENDPOINT, TABLE_NAME, COUNTER_SHARDS, MARKER_RETENTION_DAYS, MARKER_CACHE_ENTRIES)");
            System.exit(2);
            return;
        }
        LocalRunner runner = new LocalRunner(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "local-runner-shutdown"));
        String store = runner.dynalite().map(d -> "dynalite on " + d.endpoint()
                        + options.dataDir().map(dir -> ", data in " + dir.toAbsolutePath()).orElse(", in memory"))
                .orElse(options.environment().get(StoreSettings.DYNAMODB_ENDPOINT));
        System.out.println("store: " + store);
        System.out.println("ready: " + runner.baseUri() + ProxyRequests.ANALYTICS + "  (Ctrl-C stops)");
        stopped.await();
    }

    static Options parse(String[] args, Map<String, String> environment) {
        int port = Integer.parseInt(environment.getOrDefault("PORT", "3000"));
        Optional<Path> data = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data" -> data = Optional.of(Path.of(value(args, ++i, "--data")));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path repoRoot = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        return new Options(port, data, repoRoot, environment, LocalApiServer.Limits.DEFAULT);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
