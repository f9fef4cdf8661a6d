package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Serves the API on loopback the way API Gateway would: each HTTP request becomes a REST proxy event for
 * the same handler classes Lambda runs ({@code GET /analytics} to the query function, every other method on
 * the API's resources to the ingest function), and the handler's response becomes the HTTP response.
 *
 * <p>It bounds its own work: at most {@code maxConcurrent} requests run in the handlers, at most
 * {@code maxQueued} wait, each for at most {@code queueWait}; past that it answers 503 at once.
 */
public final class LocalApiServer implements AutoCloseable {

    /** Bigger than any valid request; API Gateway's own limit is 10 MB. */
    static final int MAX_BODY_BYTES = 1 << 20;
    /** A documented property of the JDK server (module jdk.httpserver), read once when the first server starts. */
    static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";

    static {
        // By default the JDK server closes keep-alive connections past 200 idle ones, and a client already sending
        // its next request on one gets no answer at all (seen from 512 clients in bench/overload.sh). Keep them:
        // past the admission limits a client should get its 503, not a dropped request.
        if (System.getProperty(MAX_IDLE_CONNECTIONS) == null) {
            System.setProperty(MAX_IDLE_CONNECTIONS, "4096");
        }
    }

    public record Limits(int maxConcurrent, int maxQueued, long queueWaitMillis) {
        public static final Limits DEFAULT = new Limits(64, 1024, 2000);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> resources;
    private final Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest;
    private final Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query;
    private final Admission admission;

    /**
     * @param ingest every method of every resource except GET /analytics (as API Gateway's ANY routes)
     * @param query  GET /analytics
     * @param resources the API's resources; any other path is a 404
     */
    public LocalApiServer(int port, List<String> resources, Limits limits,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query) throws IOException {
        this.resources = Set.copyOf(resources);
        this.ingest = ingest;
        this.query = query;
        this.admission = new Admission(limits);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.createContext("/", this::serve);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            // Admission first, so that shed requests never have their bodies buffered.
            if (!admission.admit()) {
                ExchangeResponses.send(exchange, HttpResponses.overloaded());
                return;
            }
            try {
                byte[] body = RequestBodies.read(exchange, MAX_BODY_BYTES);
                ExchangeResponses.send(exchange, body == null ? HttpResponses.payloadTooLarge(MAX_BODY_BYTES) : dispatch(exchange, body));
            } finally {
                admission.release();
            }
        }
    }

    private APIGatewayProxyResponseEvent dispatch(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getRawPath();
        if (!resources.contains(path)) {
            return HttpResponses.notFound();
        }
        APIGatewayProxyRequestEvent event;
        try {
            event = ProxyEvents.from(exchange, path, body);
        } catch (QueryStringDecoder.MalformedQueryException e) {
            return HttpResponses.badRequest(e.getMessage());
        } catch (CharacterCodingException e) {
            return HttpResponses.badRequest("request body is not valid UTF-8");
        }
        try {
            return route(exchange.getRequestMethod(), path).apply(event);
        } catch (RuntimeException e) {
            // A handler bug: API Gateway answers a failed Lambda invocation with 502, and so do we.
            return HttpResponses.badGateway();
        }
    }

    /** API Gateway's routes: GET /analytics to the query function, every other method of a resource to ingest. */
    private Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> route(String method, String path) {
        return "GET".equals(method) && path.equals(ProxyRequests.ANALYTICS) ? query : ingest;
    }
}
