package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.local.lambda.ContainerPool;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import com.hourlyanalytics.local.lambda.LambdaProxyIntegration;
import com.hourlyanalytics.local.template.ServerlessFunction;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.query.QueryHandler;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The two functions as {@link LocalApiServer} calls them, in the runner's {@link LocalRunner.Mode}: handler objects in
 * this JVM, or each function's pool of Lambda containers (docs/local-running.md). Closing it stops the containers.
 */
final class FunctionIntegrations implements AutoCloseable {

    static final String INGEST_FUNCTION = "IngestFunction";
    static final String QUERY_FUNCTION = "QueryFunction";
    /**
     * How long a request waits for a free container before it gets the runner's 503: a burst waits for the
     * containers it causes to start, which takes seconds each when several JVMs start at once on a few cores.
     */
    static final Duration CONTAINER_WAIT = Duration.ofSeconds(30);

    private final List<ContainerPool> pools = new ArrayList<>();
    private Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest;
    private Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query;

    private FunctionIntegrations() {
    }

    static FunctionIntegrations of(LocalRunner.Options options, LocalStore store, PrintStream log) {
        FunctionIntegrations functions = new FunctionIntegrations();
        try {
            if (options.mode() == LocalRunner.Mode.IN_PROCESS) {
                functions.inProcess(options, store);
            } else {
                functions.inContainers(options, store, log);
            }
            return functions;
        } catch (RuntimeException e) {
            functions.close();
            throw e;
        }
    }

    /** Every method of every resource except GET /analytics (as API Gateway's ANY routes). */
    Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest() {
        return ingest;
    }

    /** GET /analytics. */
    Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query() {
        return query;
    }

    private void inProcess(LocalRunner.Options options, LocalStore store) {
        var counters = new DynamoDbCounterStore(store.client(), store.settings(), Clock.systemUTC());
        PartnerKeys partners = PartnerKeys.fromEnvironment(store.environment());
        partners = isOpen(options) ? partners.allowingKeyless() : partners;
        ingest = new IngestHandler(counters, partners, Clock.systemUTC(), observer(options))::handle;
        query = new QueryHandler(counters, partners, Clock.systemUTC(), observer(options))::handle;
    }

    /**
     * Without {@code --api-key} nothing names the caller, so the functions take keyless requests as the default
     * partner's; with keys, as deployed, they refuse them (the gateway always sends a key id then).
     */
    private static boolean isOpen(LocalRunner.Options options) {
        return options.gateway().apiKeys().isEmpty();
    }

    private static RequestObserver observer(LocalRunner.Options options) {
        return new RequestObserver(options.quiet() ? line -> { } : System.out::println, Clock.systemUTC(), System::nanoTime);
    }

    private void inContainers(LocalRunner.Options options, LocalStore store, PrintStream log) {
        Map<String, ServerlessFunction> functions = ServerlessFunction.readAll(options.repoRoot().resolve("template.yaml"));
        LambdaJavaRuntime runtime = LambdaJavaRuntime.locate(options.repoRoot()).withExtraClasspath(options.containerClasspath());
        ingest = integration(functions.get(INGEST_FUNCTION), options, store, runtime, log);
        query = integration(functions.get(QUERY_FUNCTION), options, store, runtime, log);
    }

    /**
     * The function's pool; its variables are the template's, with values the runner's environment sets, this store,
     * and on the open API {@link PartnerKeys#KEYLESS_VARIABLE}.
     */
    private Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> integration(ServerlessFunction function,
            LocalRunner.Options options, LocalStore store, LambdaJavaRuntime runtime, PrintStream log) {
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

    @Override
    public void close() {
        pools.forEach(ContainerPool::close);
    }
}
