package com.hourlyanalytics.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A partner's-eye client of the local runner: raw query strings in, status and body out. */
public final class HttpApi {

    /** Far above the store's 2 s call timeout: a request still unanswered by then is a hang. */
    public static final Duration HANG = Duration.ofSeconds(10);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(HANG).build();

    public HttpApi(URI base) {
        this.base = base;
    }

    public HttpResponse<String> send(String method, String pathAndQuery) {
        return send(method, pathAndQuery, HttpRequest.BodyPublishers.noBody());
    }

    /** A text/plain body, as partners send to /analytics/batch. */
    public HttpResponse<String> send(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }

    /** A body of raw bytes, which need not be UTF-8. */
    public HttpResponse<String> send(String method, String pathAndQuery, byte[] body) {
        return send(method, pathAndQuery, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<String> send(String method, String pathAndQuery, HttpRequest.BodyPublisher body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .method(method, body)
                .header("Content-Type", "text/plain; charset=utf-8")
                .timeout(HANG)
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What a raw exchange got back; status {@link #NO_STATUS} when the server closed without a status line. */
    public record RawResponse(int status, String body) {
    }

    public static final int NO_STATUS = -1;

    /** Sends a request line no URI class would build (bad escapes); returns the status line's code. */
    public int rawStatus(String method, String target) {
        return raw(method, target).status();
    }

    /**
     * Sends the request line as given, byte for byte (each char of {@code target} is one ISO-8859-1 byte,
     * so UTF-8 or invalid bytes can be sent as they are), and reads the whole answer.
     */
    public RawResponse raw(String method, String target) {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) HANG.toMillis());
            socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12) {
                return new RawResponse(NO_STATUS, answer);
            }
            int headersEnd = answer.indexOf("\r\n\r\n");
            return new RawResponse(Integer.parseInt(answer.substring(9, 12)), headersEnd < 0 ? "" : answer.substring(headersEnd + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> post(long timestamp, String encodedUser, String event) {
        return send("POST", "/analytics?timestamp=" + timestamp + "&user=" + encodedUser + "&event=" + event);
    }

    public HttpResponse<String> get(long timestamp) {
        return send("GET", "/analytics?timestamp=" + timestamp);
    }

    /** The GET body as "users,clicks,impressions", the contract cases' notation. */
    public String counts(long timestamp) {
        HttpResponse<String> response = get(timestamp);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET answered " + response.statusCode() + ": " + response.body());
        }
        String[] lines = response.body().split("\n");
        return lines[0].substring("unique_users,".length()) + "," + lines[1].substring("clicks,".length())
                + "," + lines[2].substring("impressions,".length());
    }
}
