package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Oversized bodies: the client, which is still sending when the runner decides, must read the 413 every time,
 * never a reset connection (the runner drains before it closes). Many tries, since the failure was a race.
 */
class LocalApiServerBodyLimitTest {

    private static final int TRIES = 40;
    /** Larger than loopback socket buffers, so the client is surely still sending when the runner answers. */
    private static final byte[] OVERSIZED = new byte[6 << 20];
    private static final String TOO_LARGE = "request body is larger than " + LocalApiServer.MAX_BODY_BYTES + " bytes\n";

    private LocalApiServer server;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> accept = event -> HttpResponses.noContent();
        server = new LocalApiServer(0, List.of(ProxyRequests.ANALYTICS_BATCH), LocalApiServer.Limits.DEFAULT, accept, accept);
        uri = URI.create("http://127.0.0.1:" + server.port() + ProxyRequests.ANALYTICS_BATCH);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void post_oversizedBodyWithContentLength_alwaysReads413() throws Exception {
        assertAlways413(() -> HttpRequest.BodyPublishers.ofByteArray(OVERSIZED));
    }

    @Test
    void post_oversizedChunkedBody_alwaysReads413() throws Exception {
        assertAlways413(() -> HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(OVERSIZED)));
    }

    @Test
    void post_bodyAtTheLimit_isServed() throws Exception {
        HttpResponse<String> response = send(HttpClient.newHttpClient(),
                HttpRequest.BodyPublishers.ofByteArray(new byte[LocalApiServer.MAX_BODY_BYTES]));

        assertThat(response.statusCode()).isEqualTo(204);
    }

    private void assertAlways413(Supplier<HttpRequest.BodyPublisher> body) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < TRIES; i++) {
                HttpResponse<String> response = send(client, body.get());

                assertThat(response.statusCode()).as("try %d", i).isEqualTo(413);
                assertThat(response.body()).isEqualTo(TOO_LARGE);
            }
        }
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(body).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
