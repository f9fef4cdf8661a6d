package com.hourlyanalytics.local.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Lambda Runtime API (version 2018-06-01) of one function container, on 127.0.0.1: the runtime client polls
 * {@code invocation/next} for events and posts each one's response or error, or an init error, back.
 */
final class RuntimeApi implements AutoCloseable {

    /** The JDK's documented property naming the JVM's HttpServerProvider, read at the first {@code HttpServer.create}. */
    static final String HTTP_SERVER_PROVIDER = "com.sun.net.httpserver.HttpServerProvider";

    static {
        // The API's server (jetty-http-spi, LoopbackHttpServer) registers Jetty as the JVM's provider; the Runtime API
        // stays on the JDK's own server, the one proven with the real runtime client.
        if (System.getProperty(HTTP_SERVER_PROVIDER) == null) {
            System.setProperty(HTTP_SERVER_PROVIDER, "sun.net.httpserver.DefaultHttpServerProvider");
        }
    }

    private static final String BASE = "/2018-06-01/runtime/";
    private static final String ACCOUNT = "123456789012";

    /** @param delivered completes when the runtime takes the event: the function's timeout runs from then */
    record Invocation(String requestId, byte[] event, long timeoutMillis, CompletableFuture<Void> delivered,
                      CompletableFuture<InvocationOutcome> outcome) {
    }

    private final String functionArn;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> running = new ConcurrentHashMap<>();
    private final AtomicReference<byte[]> initError = new AtomicReference<>();
    private volatile long firstPollNanos;
    private volatile long lastDeliveredNanos;

    RuntimeApi(String functionName) throws IOException {
        this.functionArn = "arn:aws:lambda:" + LambdaJavaRuntime.REGION + ":" + ACCOUNT + ":function:" + functionName;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext(BASE, this::serve);
        server.setExecutor(executor);
        server.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event for the runtime's next poll. */
    Invocation submit(String requestId, byte[] event, long timeoutMillis) {
        Invocation invocation = new Invocation(requestId, event, timeoutMillis, new CompletableFuture<>(), new CompletableFuture<>());
        running.put(requestId, invocation);
        pending.add(invocation);
        return invocation;
    }

    /** The payload of {@code init/error}, if the runtime posted one. */
    byte[] initError() {
        return initError.get();
    }

    /** Ends every unanswered invocation with this error (the runtime exited or was killed). */
    void failAll(byte[] errorPayload) {
        running.values().forEach(invocation -> {
            invocation.outcome().complete(new InvocationOutcome.Error(errorPayload));
            invocation.delivered().complete(null);
        });
        running.clear();
        pending.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (method.equals("GET") && path.equals("invocation/next")) {
                next(exchange);
            } else if (method.equals("POST") && path.equals("init/error")) {
                initError.set(body);
                accepted(exchange);
            } else if (method.equals("POST") && path.startsWith("invocation/")) {
                String[] parts = path.split("/");
                Invocation invocation = parts.length == 3 ? running.remove(parts[1]) : null;
                if (invocation == null) {
                    reply(exchange, 400, "{\"errorMessage\":\"unknown request id\",\"errorType\":\"InvalidRequestID\"}");
                    return;
                }
                switch (parts[2]) {
                    case "response" -> invocation.outcome().complete(new InvocationOutcome.Response(body));
                    case "error" -> invocation.outcome().complete(new InvocationOutcome.Error(body));
                    default -> {
                        reply(exchange, 404, "{\"errorMessage\":\"not found\"}");
                        return;
                    }
                }
                accepted(exchange);
            } else {
                reply(exchange, 404, "{\"errorMessage\":\"not found\"}");
            }
        }
    }

    /** When the runtime first asked for an event (its init was done), or 0. */
    long firstPollNanos() {
        return firstPollNanos;
    }

    /** When the runtime last received an event. */
    long lastDeliveredNanos() {
        return lastDeliveredNanos;
    }

    /** Blocks until an event is queued. The runtime client's native code needs every documented header present. */
    private void next(HttpExchange exchange) throws IOException {
        if (firstPollNanos == 0) {
            firstPollNanos = System.nanoTime();
        }
        Invocation invocation;
        try {
            invocation = pending.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // closing: the connection just ends, as when Lambda freezes and discards a sandbox
        }
        lastDeliveredNanos = System.nanoTime();
        var headers = exchange.getResponseHeaders();
        headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + invocation.timeoutMillis()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id", traceId());
        headers.set("Lambda-Runtime-Client-Context", "");
        headers.set("Lambda-Runtime-Cognito-Identity", "");
        headers.set("Lambda-Runtime-Tenant-Id", "");
        headers.set("Content-Type", "application/json");
        try {
            exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
            exchange.getResponseBody().write(invocation.event());
        } catch (IOException e) {
            // The runtime dropped the connection mid-event: end the invocation now, or its caller would wait out the
            // init bound for a delivery that never comes (and kill a runtime that may still be polling).
            running.remove(invocation.requestId());
            invocation.delivered().complete(null);
            invocation.outcome().complete(new InvocationOutcome.Error(FunctionContainer.error("Runtime.EventDeliveryFailed",
                    "RequestId: " + invocation.requestId() + " Error: the event could not be written to the runtime: " + e.getMessage())));
            throw e;
        }
        invocation.delivered().complete(null);
    }

    /** An X-Ray trace header, sampling off: Root=1-{epoch seconds, hex}-{96 random bits};Parent=...;Sampled=0. */
    private static String traceId() {
        var random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        byte[] root = new byte[12];
        byte[] parent = new byte[8];
        random.nextBytes(root);
        random.nextBytes(parent);
        return "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-" + hex.formatHex(root)
                + ";Parent=" + hex.formatHex(parent) + ";Sampled=0";
    }

    private static void accepted(HttpExchange exchange) throws IOException {
        reply(exchange, 202, "{\"status\":\"OK\"}");
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
