package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    /** How much of an oversized body is read before the 413 (API Gateway's own limit is 10 MB). */
    static final long MAX_DRAIN_BYTES = 16L << 20;
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
    private final Map<String, Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> routes;
    private final Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> queryRoute;
    private final Limits limits;
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();

    /**
     * @param ingest every method of every resource except GET /analytics (as API Gateway's ANY routes)
     * @param query  GET /analytics
     * @param resources the API's resources; any other path is a 404
     */
    public LocalApiServer(int port, List<String> resources, Limits limits,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> ingest,
                          Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> query) throws IOException {
        this.routes = new HashMap<>();
        resources.forEach(resource -> routes.put(resource, ingest));
        this.queryRoute = query;
        this.limits = limits;
        this.running = new Semaphore(limits.maxConcurrent());
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
            if (!admit()) {
                send(exchange, HttpResponses.overloaded());
                return;
            }
            try {
                byte[] body = readBody(exchange);
                send(exchange, body == null ? HttpResponses.payloadTooLarge(MAX_BODY_BYTES) : dispatch(exchange, body));
            } finally {
                running.release();
            }
        }
    }

    /** Waits for a slot unless too many already wait; false means shed this request. */
    private boolean admit() {
        if (running.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > limits.maxQueued()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return running.tryAcquire(limits.queueWaitMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    private APIGatewayProxyResponseEvent dispatch(HttpExchange exchange, byte[] body) {
        String path = exchange.getRequestURI().getRawPath();
        var handler = routes.get(path);
        if (handler == null) {
            return HttpResponses.notFound();
        }
        String method = exchange.getRequestMethod();
        APIGatewayProxyRequestEvent event;
        try {
            event = ProxyEvents.from(exchange, path, body);
        } catch (QueryStringDecoder.MalformedQueryException e) {
            return HttpResponses.badRequest(e.getMessage());
        } catch (CharacterCodingException e) {
            return HttpResponses.badRequest("request body is not valid UTF-8");
        }
        try {
            return "GET".equals(method) && path.equals(ProxyRequests.ANALYTICS)
                    ? queryRoute.apply(event) : handler.apply(event);
        } catch (RuntimeException e) {
            // A handler bug: API Gateway answers a failed Lambda invocation with 502, and so do we.
            return HttpResponses.badGateway();
        }
    }

    /**
     * The body, or null when it is larger than the limit. An oversized body is still read and discarded, up to
     * {@link #MAX_DRAIN_BYTES}, before the 413 and the close: closing a socket with unread data sends a reset,
     * and a client still sending would see that reset instead of the 413.
     */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long declaredLength = declared == null ? -1 : Long.parseLong(declared.strip());
        byte[] body = declaredLength > MAX_BODY_BYTES ? null : in.readNBytes(MAX_BODY_BYTES + 1);
        if (body != null && body.length <= MAX_BODY_BYTES) {
            return body;
        }
        exchange.getResponseHeaders().set("Connection", "close");
        if (declaredLength <= MAX_DRAIN_BYTES) {
            drain(in);
        }
        return null;
    }

    /** Reads to the end of the body or to the drain bound, whichever comes first. */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; total < MAX_DRAIN_BYTES && (n = in.read(buffer)) > 0; ) {
            total += n;
        }
    }

    private static void send(HttpExchange exchange, APIGatewayProxyResponseEvent response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> exchange.getResponseHeaders().put(name, List.copyOf(values)));
        }
        String body = response.getBody();
        byte[] bytes = body == null ? new byte[0]
                : Boolean.TRUE.equals(response.getIsBase64Encoded()) ? Base64.getDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode();
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        // -1: no body at all, as 204 requires.
        exchange.sendResponseHeaders(status, bytes.length == 0 || head ? -1 : bytes.length);
        if (bytes.length > 0 && !head) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Builds REST proxy events as API Gateway does; both query maps are filled. */
    static final class ProxyEvents {
        private ProxyEvents() {
        }

        /** @throws CharacterCodingException when the body is not UTF-8, which would otherwise merge distinct user ids */
        static APIGatewayProxyRequestEvent from(HttpExchange exchange, String resource, byte[] body)
                throws QueryStringDecoder.MalformedQueryException, CharacterCodingException {
            Map<String, List<String>> multi = QueryStringDecoder.decode(exchange.getRequestURI().getRawQuery());
            Map<String, String> headers = new HashMap<>();
            Map<String, List<String>> multiHeaders = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> {
                headers.put(name, values.get(values.size() - 1));
                multiHeaders.put(name, values);
            });
            String method = exchange.getRequestMethod();
            String requestId = UUID.randomUUID().toString();
            return ProxyRequests.event(method, resource, multi)
                    .withHeaders(headers)
                    .withMultiValueHeaders(multiHeaders)
                    .withBody(body.length == 0 ? null : StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(body)).toString())
                    .withIsBase64Encoded(false)
                    .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                            .withRequestId(requestId)
                            .withStage("local")
                            .withHttpMethod(method)
                            .withResourcePath(resource)
                            .withPath(resource)
                            .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                                    .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())));
        }
    }
}
