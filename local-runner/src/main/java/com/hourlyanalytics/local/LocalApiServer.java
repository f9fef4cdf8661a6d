package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.Admission;
import com.hourlyanalytics.local.gateway.ApiKey;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import com.hourlyanalytics.local.httpserver.LoopbackHttpServer;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Serves the API on loopback the way API Gateway would: each HTTP request passes the {@link Gateway}'s checks
 * (API key, throttles, quota, payload limits), becomes a REST proxy event for the same handler classes Lambda
 * runs ({@code GET /analytics} to the query function, every other method on the API's resources to the ingest
 * function), and the handler's response becomes the HTTP response, or a 504 past the integration timeout.
 *
 * <p>It bounds its own work ({@link Admission}): at most {@code maxConcurrent} requests run in the handlers, at
 * most {@code maxQueued} wait, each for at most {@code queueWait}; past that it answers 503 at once. A request the
 * gateway timed out keeps its slot until its handler ends.
 */
public final class LocalApiServer implements AutoCloseable {

    public record Limits(int maxConcurrent, int maxQueued, long queueWaitMillis) {
        public static final Limits DEFAULT = new Limits(64, 1024, 2000);
    }

    private final LoopbackHttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> resources;
    private final Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest;
    private final Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query;
    private final Gateway gateway;
    private final Admission admission;

    /** The open API (no keys) with API Gateway's limits, integration timeout and default gateway responses. */
    public LocalApiServer(int port, List<String> resources, Limits limits,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query) throws IOException {
        this(port, resources, limits, Gateway.open(Gateway.INTEGRATION_TIMEOUT, GatewayResponses.DEFAULTS), ingest, query);
    }

    /**
     * @param ingest every method of every resource except GET /analytics (as API Gateway's ANY routes)
     * @param query  GET /analytics
     * @param resources the API's resources; any other path gets the MISSING_AUTHENTICATION_TOKEN response
     */
    public LocalApiServer(int port, List<String> resources, Limits limits, Gateway gateway,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query) throws IOException {
        this.resources = Set.copyOf(resources);
        this.ingest = ingest;
        this.query = query;
        this.gateway = gateway;
        this.admission = new Admission(limits.maxConcurrent(), limits.maxQueued(), limits.queueWaitMillis());
        this.server = LoopbackHttpServer.start(port, 1024, "/", this::serve, executor);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path;
            try {
                path = exchange.getRequestURI().getRawPath();
            } catch (RuntimeException e) {
                // A target no URI can hold (a bad %-escape): refused before anything else, as the JDK's server did.
                RequestBodies.discard(exchange);
                ExchangeResponses.send(exchange, HttpResponses.badRequest("the request target is not a valid URI"));
                return;
            }
            try {
                answer(exchange, path);
            } catch (RuntimeException e) {
                // A runner bug, answered as API Gateway answers a failed integration: an exchange left unanswered
                // would be completed by Jetty as a 200.
                System.err.println("local API: " + exchange.getRequestMethod() + " " + path + " failed in the runner: " + e);
                ExchangeResponses.send(exchange, HttpResponses.badGateway());
            }
        }
    }

    private void answer(HttpExchange exchange, String path) throws IOException {
        // API Gateway finds the method first: a path without one is refused before the key is looked at.
        if (!resources.contains(path)) {
            RequestBodies.discard(exchange);
            ExchangeResponses.send(exchange, gateway.responses().answer(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN));
            return;
        }
        Optional<ApiKey> key;
        switch (gateway.check(exchange.getRequestHeaders().getFirst("x-api-key"), path, exchange.getRequestMethod())) {
            case Gateway.Pass pass -> key = pass.key();
            case Gateway.Refuse refused -> {
                RequestBodies.discard(exchange);
                ExchangeResponses.send(exchange, refused.response());
                return;
            }
        }
        // Admission before the body, so that shed requests never have their bodies buffered.
        if (!admission.admit()) {
            ExchangeResponses.send(exchange, HttpResponses.overloaded());
            return;
        }
        CompletableFuture<APIGatewayProxyResponseEvent> answer;
        try {
            byte[] body = RequestBodies.read(exchange, Gateway.MAX_BODY_BYTES);
            answer = body == null ? CompletableFuture.completedFuture(gateway.responses().answer(GatewayResponses.Type.REQUEST_TOO_LARGE))
                    : dispatch(exchange, body, key);
        } catch (IOException | RuntimeException e) {
            admission.release();
            throw e;
        }
        answer.whenComplete((response, failure) -> admission.release());
        ExchangeResponses.send(exchange, await(answer));
    }

    /** The handler's answer, a 502 if it failed, or API Gateway's 504 past the integration timeout (it runs on). */
    private APIGatewayProxyResponseEvent await(CompletableFuture<APIGatewayProxyResponseEvent> answer) {
        try {
            return answer.get(gateway.integrationTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return gateway.responses().answer(GatewayResponses.Type.INTEGRATION_TIMEOUT);
        } catch (ExecutionException e) {
            // A handler bug: API Gateway answers a failed Lambda invocation with 502, and so do we.
            return HttpResponses.badGateway();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpResponses.overloaded();
        }
    }

    /** An answer at once (400, 413), or the handler's, running on its own thread. */
    private CompletableFuture<APIGatewayProxyResponseEvent> dispatch(HttpExchange exchange, byte[] body, Optional<ApiKey> key) {
        String path = exchange.getRequestURI().getRawPath();
        APIGatewayProxyRequestEvent event;
        try {
            event = ProxyEvents.from(exchange, path, body, key);
        } catch (QueryStringDecoder.MalformedQueryException e) {
            return CompletableFuture.completedFuture(HttpResponses.badRequest(e.getMessage()));
        } catch (CharacterCodingException e) {
            return CompletableFuture.completedFuture(HttpResponses.badRequest("request body is not valid UTF-8"));
        }
        Optional<APIGatewayProxyResponseEvent> tooLarge = gateway.checkEvent(event);
        if (tooLarge.isPresent()) {
            return CompletableFuture.completedFuture(tooLarge.get());
        }
        var handler = route(exchange.getRequestMethod(), path);
        return CompletableFuture.supplyAsync(() -> handler.apply(event), executor);
    }

    /** API Gateway's routes: GET /analytics to the query function, every other method of a resource to ingest. */
    private Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> route(String method, String path) {
        return "GET".equals(method) && path.equals(ProxyRequests.ANALYTICS) ? query : ingest;
    }
}
