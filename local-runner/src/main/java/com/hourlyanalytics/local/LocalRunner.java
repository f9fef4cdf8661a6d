package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import com.hourlyanalytics.local.gateway.UsagePlan;
import com.hourlyanalytics.local.lambda.ContainerPool;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import com.hourlyanalytics.local.lambda.LambdaProxyIntegration;
import com.hourlyanalytics.local.template.ServerlessFunction;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.query.QueryHandler;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * {@code ./run}: the API on 127.0.0.1, backed by its own dynalite (in memory, or on disk with
 * {@code --data DIR}) or by {@code DYNAMODB_ENDPOINT}. The handlers run either in this JVM, or as Lambda runs
 * them: in function containers under the real runtime client (docs/local-running.md). Stops everything it
 * started on Ctrl-C or SIGTERM.
 */
public final class LocalRunner implements AutoCloseable {

    static final String INGEST_FUNCTION = "IngestFunction";
    static final String QUERY_FUNCTION = "QueryFunction";
    /**
     * How long a request waits for a free container before it gets the runner's 503: a burst waits for the
     * containers it causes to start, which takes seconds each when several JVMs start at once on a few cores.
     */
    static final Duration CONTAINER_WAIT = Duration.ofSeconds(30);

    /** Where the handlers run. */
    public enum Mode {
        /** Handler objects in the runner's JVM: fastest to start, shares the runner's classpath. */
        IN_PROCESS,
        /** Each function's shaded jar in Lambda-like containers under the real runtime interface client. */
        LAMBDA
    }

    private final LocalStore store;
    private final List<ContainerPool> pools = new ArrayList<>();
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

        public static final int DEFAULT_MAX_CONTAINERS = 4;

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
        try {
            List<String> resources = List.of(ProxyRequests.ANALYTICS, ProxyRequests.ANALYTICS_BATCH);
            server = options.mode() == Mode.IN_PROCESS
                    ? inProcess(options, resources)
                    : inContainers(options, resources, System.out);
        } catch (RuntimeException | IOException e) {
            pools.forEach(ContainerPool::close);
            store.close();
            throw e;
        }
    }

    private LocalApiServer inProcess(Options options, List<String> resources) throws IOException {
        var counters = new DynamoDbCounterStore(store.client(), store.settings(), Clock.systemUTC());
        PartnerKeys partners = PartnerKeys.fromEnvironment(store.environment());
        partners = isOpen(options) ? partners.allowingKeyless() : partners;
        var ingest = new IngestHandler(counters, partners, Clock.systemUTC(), observer(options));
        var query = new QueryHandler(counters, partners, Clock.systemUTC(), observer(options));
        return new LocalApiServer(options.port(), resources, options.limits(), gateway, ingest::handle, query::handle);
    }

    /**
     * Without {@code --api-key} nothing names the caller, so the functions take keyless requests as the default
     * partner's; with keys, as deployed, they refuse them (the gateway always sends a key id then).
     */
    private static boolean isOpen(Options options) {
        return options.gateway().apiKeys().isEmpty();
    }

    private static RequestObserver observer(Options options) {
        return new RequestObserver(options.quiet() ? line -> { } : System.out::println, Clock.systemUTC(), System::nanoTime);
    }

    private LocalApiServer inContainers(Options options, List<String> resources, PrintStream log) throws IOException {
        Map<String, ServerlessFunction> functions = ServerlessFunction.readAll(options.repoRoot().resolve("template.yaml"));
        LambdaJavaRuntime runtime = LambdaJavaRuntime.locate(options.repoRoot()).withExtraClasspath(options.containerClasspath());
        return new LocalApiServer(options.port(), resources, options.limits(), gateway,
                integration(functions.get(INGEST_FUNCTION), options, runtime, log),
                integration(functions.get(QUERY_FUNCTION), options, runtime, log));
    }

    /**
     * The function's pool; its variables are the template's, with values the runner's environment sets, this store,
     * and on the open API {@link PartnerKeys#KEYLESS_VARIABLE}.
     */
    private Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> integration(
            ServerlessFunction function, Options options, LambdaJavaRuntime runtime, PrintStream log) {
        Map<String, String> variables = new LinkedHashMap<>(function.environment());
        variables.replaceAll((name, value) -> options.environment().getOrDefault(name, value));
        variables = store.functionVariables(variables);
        if (isOpen(options)) {
            variables.put(PartnerKeys.KEYLESS_VARIABLE, "true");
        }
        PrintStream requestLog = options.quiet() ? new PrintStream(OutputStream.nullOutputStream()) : log;
        ContainerPool pool = new ContainerPool(function, variables, runtime, options.maxContainers(), CONTAINER_WAIT, log, requestLog);
        pools.add(pool);
        return new LambdaProxyIntegration(pool, log);
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
        pools.forEach(ContainerPool::close);
        store.close();
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
