package com.hourlyanalytics.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An HTTP server on 127.0.0.1 that answers the client's requests with scripted answers, in order (204 once the
 * script is used up), and records each request. It stands in for the network's far end in unit tests; the real
 * service is in the integration tests.
 */
public final class ScriptedApi implements AutoCloseable {

    /** A request as received. */
    public static final class Request {
        public final String method;
        public final String target;
        public final String body;
        public final String apiKey;

        Request(String method, String target, String body, String apiKey) {
            this.method = method;
            this.target = target;
            this.body = body;
            this.apiKey = apiKey;
        }

        public List<String> lines() {
            return List.of(body.split("\n"));
        }
    }

    private static final class Reply {
        final int status;
        final String body;
        final Map<String, String> headers;
        final CountDownLatch hold;

        Reply(int status, String body, Map<String, String> headers, CountDownLatch hold) {
            this.status = status;
            this.body = body;
            this.headers = headers;
            this.hold = hold;
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Reply> script = new LinkedBlockingQueue<>();
    private final List<Request> requests = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    public ScriptedApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** The API's URL, as partners configure it. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prod/analytics");
    }

    public ScriptedApi then(int status, String body, Map<String, String> headers) {
        script.add(new Reply(status, body, headers, null));
        return this;
    }

    public ScriptedApi then(int status, String body) {
        return then(status, body, Map.of());
    }

    /** The next request gets no answer until {@link #close()}. */
    public ScriptedApi thenNoAnswer() {
        script.add(new Reply(0, "", Map.of(), released));
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        synchronized (this) {
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), body,
                    exchange.getRequestHeaders().getFirst("x-api-key")));
        }
        Reply reply = script.poll();
        if (reply == null) {
            reply = new Reply(204, "", Map.of(), null);
        }
        if (reply.hold != null) {
            try {
                reply.hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        reply.headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
