package com.hourlyanalytics.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** The two calls the client makes, over the JDK's HTTP client: a batch POST and an hour's GET. */
final class HttpTransport {

    private final HttpClient http;
    private final URI endpoint;
    private final URI batch;
    private final String apiKey;
    private final Duration requestTimeout;

    HttpTransport(ClientSettings settings) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.connectTimeout).build();
        this.endpoint = settings.endpoint;
        this.batch = URI.create(settings.endpoint + "/batch");
        this.apiKey = settings.apiKey;
        this.requestTimeout = settings.requestTimeout;
    }

    /** {@code POST /analytics/batch} with the events as lines, in order: line n is {@code events.get(n - 1)}. */
    Answer postBatch(Iterable<Event> events) throws InterruptedException {
        StringBuilder body = new StringBuilder();
        for (Event event : events) {
            body.append(event.line()).append('\n');
        }
        return exchange(HttpRequest.newBuilder(batch).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)));
    }

    /** {@code GET /analytics?timestamp=...}. */
    Answer getCounts(long timestamp) throws InterruptedException {
        return exchange(HttpRequest.newBuilder(URI.create(endpoint + "?timestamp=" + timestamp)).GET());
    }

    private Answer exchange(HttpRequest.Builder request) throws InterruptedException {
        if (apiKey != null) {
            request.header("x-api-key", apiKey);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(requestTimeout).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return Answer.of(response.statusCode(), response.body(),
                    RetryPolicy.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now()));
        } catch (IOException | RuntimeException e) {
            // Timeouts, refused and broken connections; anything else the JDK client throws is no answer either.
            return Answer.none(e);
        }
    }
}
