package com.hourlyanalytics.local;

import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The store of {@code ./run} and {@code ./invoke}: the table at {@code DYNAMODB_ENDPOINT} if that is set, else
 * in a dynalite of its own (in memory, or on disk in a data folder), created if missing.
 */
public final class LocalStore implements AutoCloseable {

    /**
     * The variable that sets the own dynalite's transaction window, in whole milliseconds (see
     * {@link DynaliteProcess#start(Path, Optional, int, Optional)}); unset, the emulator's default, 25 ms.
     */
    public static final String TRANSACTION_WINDOW_MS = "TRANSACTION_WINDOW_MS";
    static final String DEFAULT_TABLE = "hourly-analytics";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Optional<DynaliteProcess> dynalite;
    private final Map<String, String> environment;
    private final StoreSettings settings;
    private final DynamoDbClient client;

    /** @param environment the caller's; TABLE_NAME defaults to {@value #DEFAULT_TABLE} */
    public static LocalStore open(Path repoRoot, Optional<Path> dataDir, Map<String, String> environment,
                                  List<ExecutionInterceptor> interceptors) {
        Map<String, String> resolved = new HashMap<>(environment);
        resolved.putIfAbsent(StoreSettings.TABLE_NAME, DEFAULT_TABLE);
        // A store on this machine: the local pseudonym key (StoreSettings), never a deployed stack's secret.
        resolved.put(StoreSettings.PSEUDONYM_KEY_SECRET, "");
        // dynalite never expires an item (docs/capacity.md), so a retention would only refuse old events: local runs keep
        // every marker unless the caller sets one.
        resolved.putIfAbsent(StoreSettings.MARKER_RETENTION_DAYS, "0");
        Optional<DynaliteProcess> dynalite = Optional.empty();
        String endpoint = resolved.getOrDefault(StoreSettings.DYNAMODB_ENDPOINT, "");
        if (endpoint.isBlank()) {
            DynaliteProcess started = DynaliteProcess.start(repoRoot, dataDir, 0, transactionWindow(resolved));
            dynalite = Optional.of(started);
            resolved.put(StoreSettings.DYNAMODB_ENDPOINT, started.endpoint().toString());
        } else {
            requireReachable(endpoint);
        }
        try {
            return new LocalStore(dynalite, resolved, interceptors);
        } catch (RuntimeException e) {
            dynalite.ifPresent(DynaliteProcess::close);
            throw e;
        }
    }

    /** The window a {@value #TRANSACTION_WINDOW_MS} in this environment sets, if any; a clear error for a bad value. */
    public static Optional<Duration> transactionWindow(Map<String, String> environment) {
        String value = environment.get(TRANSACTION_WINDOW_MS);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        long millis = RunArguments.transactionWindowMs(TRANSACTION_WINDOW_MS, value);
        return Optional.of(Duration.ofMillis(millis));
    }

    /**
     * Fails at once, in one line, when nothing listens at a DYNAMODB_ENDPOINT the user gave: creating the table
     * would otherwise retry for {@link #STARTUP_TIMEOUT} and end in a stack trace.
     */
    private static void requireReachable(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("DYNAMODB_ENDPOINT " + endpoint + " is not a URL");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        if (uri.getHost() == null) {
            throw new IllegalStateException("DYNAMODB_ENDPOINT " + endpoint + " names no host");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) CONNECT_TIMEOUT.toMillis());
        } catch (IOException e) {
            throw new IllegalStateException("DYNAMODB_ENDPOINT " + endpoint + " is unreachable (" + e.getMessage()
                    + "); start an emulator there (docs/local-running.md) or unset it to use the runner's own");
        }
    }

    private LocalStore(Optional<DynaliteProcess> dynalite, Map<String, String> environment, List<ExecutionInterceptor> interceptors) {
        this.dynalite = dynalite;
        this.environment = Map.copyOf(environment);
        this.settings = StoreSettings.fromEnvironment(environment);
        this.client = DynamoDbClients.create(settings, interceptors);
        try {
            createTable(client, settings.tableName());
        } catch (RuntimeException e) {
            client.close();
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
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating the table", interrupted);
                }
            }
        }
    }

    /** The caller's environment with TABLE_NAME and DYNAMODB_ENDPOINT naming this store, its marker retention, no pseudonym key secret. */
    public Map<String, String> environment() {
        return environment;
    }

    /** A function's variables (template.yaml's, with what the caller set) for this store: its table, endpoint, retention, the local key. */
    public Map<String, String> functionVariables(Map<String, String> variables) {
        Map<String, String> onThisStore = new LinkedHashMap<>(variables);
        for (String name : List.of(StoreSettings.TABLE_NAME, StoreSettings.DYNAMODB_ENDPOINT, StoreSettings.PSEUDONYM_KEY_SECRET,
                StoreSettings.MARKER_RETENTION_DAYS)) {
            onThisStore.put(name, environment.get(name));
        }
        return onThisStore;
    }

    public StoreSettings settings() {
        return settings;
    }

    public DynamoDbClient client() {
        return client;
    }

    public Optional<DynaliteProcess> dynalite() {
        return dynalite;
    }

    /** One line for the user: where the data is. */
    String describe(Optional<Path> dataDir) {
        return dynalite.map(d -> "dynalite on " + d.endpoint()
                        + dataDir.map(dir -> ", data in " + dir.toAbsolutePath()).orElse(", in memory")
                        + ", transaction window " + d.transactionWindow().toMillis() + " ms")
                .orElse(environment.get(StoreSettings.DYNAMODB_ENDPOINT)) + ", table " + settings.tableName();
    }

    @Override
    public void close() {
        client.close();
        dynalite.ifPresent(DynaliteProcess::close);
    }
}
