package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.HourCounts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service as a partner sees it: HTTP to the local runner on 127.0.0.1. */
final class LoadApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A maximum-size batch of new users is 10,000 conditional puts; dynalite on a busy 2-core machine needs time. */
    private static final Duration BATCH_TIMEOUT = Duration.ofSeconds(300);
    private static final Pattern BODY = Pattern.compile("unique_users,(\\d+)\nclicks,(\\d+)\nimpressions,(\\d+)\n");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    LoadApi(URI base) {
        this.base = base;
    }

    int post(long timestamp, String user, EventType type) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/analytics?timestamp=" + timestamp + "&user="
                + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&event=" + type.wireName()))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode();
    }

    int postBatch(String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/analytics/batch"))
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .timeout(BATCH_TIMEOUT)).statusCode();
    }

    HttpResponse<String> get(long timestamp) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + "/analytics?timestamp=" + timestamp)).GET());
    }

    /** The counts of a 200 answer in the exact contract format, else an error naming what came back. */
    static HourCounts counts(HttpResponse<String> response) {
        Matcher body = BODY.matcher(response.body());
        if (response.statusCode() != 200 || !body.matches()) {
            throw new IllegalStateException("GET answered " + response.statusCode() + ": " + response.body().strip());
        }
        return new HourCounts(Long.parseLong(body.group(1)), Long.parseLong(body.group(2)), Long.parseLong(body.group(3)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.build();
        if (built.timeout().isEmpty()) {
            built = request.timeout(TIMEOUT).build();
        }
        return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
