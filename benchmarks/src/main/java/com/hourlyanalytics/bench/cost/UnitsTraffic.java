package com.hourlyanalytics.bench.cost;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link WriteUnits} sends, one request at a time: users and event ids no request used before, every event in
 * one hour, and the requests to the runner, each of which must answer as expected.
 */
final class UnitsTraffic {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final long timestamp = System.currentTimeMillis();
    private URI service;
    private int nextUser;
    private int nextId;

    void service(URI base) {
        this.service = base;
    }

    String user() {
        return "units-user-" + nextUser++;
    }

    String id() {
        return "units-" + timestamp + "-" + nextId++;
    }

    /** {@code lines} lines of new users, each user on {@code perUser} lines in a row. */
    List<String> users(int lines, int perUser) {
        List<String> users = new ArrayList<>();
        for (int u = 0; u < lines / perUser; u++) {
            String user = user();
            for (int e = 0; e < perUser; e++) {
                users.add(user);
            }
        }
        return users;
    }

    void post(String user, String eventId) throws Exception {
        send(HttpRequest.newBuilder(service.resolve("/analytics?timestamp=" + timestamp + "&user="
                        + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&event=click"
                        + (eventId == null ? "" : "&event_id=" + eventId)))
                .POST(HttpRequest.BodyPublishers.noBody()), 204);
    }

    void batch(List<String> users) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < users.size(); i++) {
            body.append(timestamp).append(',').append(users.get(i)).append(',').append(i % 4 == 0 ? "click" : "impression").append('\n');
        }
        send(HttpRequest.newBuilder(service.resolve("/analytics/batch")).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())), 204);
    }

    void get() throws Exception {
        send(HttpRequest.newBuilder(service.resolve("/analytics?timestamp=" + timestamp)).GET(), 200);
    }

    private void send(HttpRequest.Builder request, int expected) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(300)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.build().uri() + " answered " + response.statusCode() + ": " + response.body().strip());
        }
    }
}
