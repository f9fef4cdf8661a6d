package com.hourlyanalytics.local;

import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import com.hourlyanalytics.local.gateway.UsagePlan;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * {@code ./run}: the API on 127.0.0.1, backed by its own dynalite (in memory, or on disk with
 * {@code --data DIR}) or by {@code DYNAMODB_ENDPOINT}. The handlers run either in this JVM, or as Lambda runs
 * them: in function containers under the real runtime client (docs/local-running.md). Stops everything it
 * started on Ctrl-C or SIGTERM.
 */
public final class LocalRunner implements AutoCloseable {

    /** Where the handlers run. */
    public enum Mode {
        /** Handler objects in the runner's JVM: fastest to start, shares the runner's classpath. */
        IN_PROCESS,
        /** Each function's shaded jar in Lambda-like containers under the real runtime interface client. */
        LAMBDA
    }

    private final LocalStore store;
    private final FunctionIntegrations functions;
    private final Gateway gateway;
    private final LocalApiServer server;

    /**
     * @param storeInterceptors see every store call, e.g. the load benchmark's call counter (in-process mode only)
     * @param maxContainers     containers per function in {@link Mode#LAMBDA}
     * @param containerClasspath added to every container's class path in {@link Mode#LAMBDA} (benchmark
     *                          instrumentation; empty for ./run)
     * @param gateway           API keys, parameter overrides and integration timeout ({@link Gateway.Options#OPEN}: none)
     * @param quiet             no line per request on stdout (the handlers' log and metric lines, REPORT lines)
     */
    public record Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                          LocalApiServer.Limits limits, List<ExecutionInterceptor> storeInterceptors, Mode mode,
                          int maxContainers, List<Path> containerClasspath, Gateway.Options gateway, boolean quiet) {

        public static final int DEFAULT_MAX_CONTAINERS = RunArguments.DEFAULT_CONTAINERS;

        public Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                       LocalApiServer.Limits limits, List<ExecutionInterceptor> storeInterceptors, Mode mode,
                       int maxContainers, List<Path> containerClasspath) {
            this(port, dataDir, repoRoot, environment, limits, storeInterceptors, mode, maxContainers, containerClasspath,
                    Gateway.Options.OPEN, false);
        }

        public Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                       LocalApiServer.Limits limits, List<ExecutionInterceptor> storeInterceptors, Mode mode,
                       int maxContainers) {
            this(port, dataDir, repoRoot, environment, limits, storeInterceptors, mode, maxContainers, List.of());
        }

        public Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                       LocalApiServer.Limits limits, List<ExecutionInterceptor> storeInterceptors) {
            this(port, dataDir, repoRoot, environment, limits, storeInterceptors, Mode.IN_PROCESS, DEFAULT_MAX_CONTAINERS);
        }

        public Options(int port, Optional<Path> dataDir, Path repoRoot, Map<String, String> environment,
                       LocalApiServer.Limits limits) {
            this(port, dataDir, repoRoot, environment, limits, List.of());
        }

        public Options withMode(Mode newMode) {
            return new Options(port, dataDir, repoRoot, environment, limits, storeInterceptors, newMode, maxContainers,
                    containerClasspath, gateway, quiet);
        }

        /** Lambda mode with at most {@code containers} per function, each with {@code classpath} added. */
        public Options inContainers(int containers, List<Path> classpath) {
            return new Options(port, dataDir, repoRoot, environment, limits, storeInterceptors, Mode.LAMBDA, containers,
                    classpath, gateway, quiet);
        }

        public Options withGateway(Gateway.Options newGateway, boolean beQuiet) {
            return new Options(port, dataDir, repoRoot, environment, limits, storeInterceptors, mode, maxContainers,
                    containerClasspath, newGateway, beQuiet);
        }
    }

    public LocalRunner(Options options) throws IOException {
        if (options.mode() == Mode.LAMBDA && !options.storeInterceptors().isEmpty()) {
            throw new IllegalArgumentException("store interceptors need the in-process mode: containers build their own clients");
        }
        Path template = options.repoRoot().resolve("template.yaml");
        gateway = Gateway.of(options.gateway(), UsagePlan.fromTemplate(template, options.gateway().parameterOverrides()),
                GatewayResponses.fromTemplate(template), Clock.systemUTC());
        store = LocalStore.open(options.repoRoot(), options.dataDir(), options.environment(), options.storeInterceptors());
        FunctionIntegrations started = null;
        try {
            started = FunctionIntegrations.of(options, store, System.out);
            server = new LocalApiServer(options.port(), List.of(ProxyRequests.ANALYTICS, ProxyRequests.ANALYTICS_BATCH),
                    options.limits(), gateway, started.ingest(), started.query());
        } catch (RuntimeException | IOException e) {
            if (started != null) {
                started.close();
            }
            store.close();
            throw e;
        }
        functions = started;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    public Optional<DynaliteProcess> dynalite() {
        return store.dynalite();
    }

    @Override
    public void close() {
        server.close();
        functions.close();
        store.close();
    }

    /**
     * {@code ./run}'s answer when its own dynalite dies under it: {@link EmulatorRestarts}; {@code exit} ends the
     * runner with a status. Nothing to watch with a store you run.
     */
    EmulatorRestarts restartStoreWhenItDies(Optional<Path> dataDir, PrintStream log, IntConsumer exit) {
        return EmulatorRestarts.watch(store, dataDir, log, exit);
    }

    /** What the gateway checks, for the ready lines; key ids only. */
    public String describeGateway() {
        return gateway.describe();
    }

    /** Where the store is, for the ready lines. */
    public String describeStore(Optional<Path> dataDir) {
        return store.describe(dataDir);
    }
}
