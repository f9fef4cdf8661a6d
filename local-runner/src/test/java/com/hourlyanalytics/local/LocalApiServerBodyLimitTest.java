package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies past API Gateway's 10 MB, and events past Lambda's 6 MB, get the deployed API's REQUEST_TOO_LARGE answer
 * (docs/local-running.md); the client, which is still sending when the runner decides, must read the 413 every
 * time, never a reset connection (the runner drains before it closes). Many tries, since the failure was a race.
 */
class LocalApiServerBodyLimitTest {

    private static final int TRIES = 40;
    /** Larger than loopback socket buffers, so the client is surely still sending when the runner answers. */
    private static final byte[] OVER_API_GATEWAY = body(Gateway.MAX_BODY_BYTES + 1);
    /** The deployed API's REQUEST_TOO_LARGE answer, from template.yaml (surefire runs in the module's folder). */
    private static final GatewayResponses RESPONSES =
            GatewayResponses.fromTemplate(Path.of("").toAbsolutePath().getParent().resolve("template.yaml"));
    private static final APIGatewayProxyResponseEvent TOO_LARGE = RESPONSES.answer(GatewayResponses.Type.REQUEST_TOO_LARGE);

    private final AtomicInteger invocations = new AtomicInteger();
    private LocalApiServer server;
    private URI uri;

    @BeforeEach
    void start() throws Exception {
        Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> accept = event -> {
            invocations.incrementAndGet();
            return HttpResponses.noContent();
        };
        server = new LocalApiServer(0, List.of(ProxyRequests.ANALYTICS_BATCH), LocalApiServer.Limits.DEFAULT,
                Gateway.open(Gateway.INTEGRATION_TIMEOUT, RESPONSES), accept, accept);
        uri = URI.create("http://127.0.0.1:" + server.port() + ProxyRequests.ANALYTICS_BATCH);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] body(int bytes) {
        byte[] body = new byte[bytes];
        Arrays.fill(body, (byte) 'a');
        return body;
    }

    @Test
    void post_bodyOverTenMegabytesWithContentLength_alwaysReads413() throws Exception {
        assertAlways413(() -> HttpRequest.BodyPublishers.ofByteArray(OVER_API_GATEWAY));
    }

    @Test
    void post_bodyOverTenMegabytesChunked_alwaysReads413() throws Exception {
        assertAlways413(() -> HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(OVER_API_GATEWAY)));
    }

    @Test
    void post_eventOverLambdasSixMegabytes_answersRequestTooLarge_neverInvokes() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = send(client, HttpRequest.BodyPublishers.ofByteArray(body(Gateway.MAX_EVENT_BYTES)));

            assertTooLarge(response);
            assertThat(invocations).hasValue(0);
        }
    }

    @Test
    void post_bodyUnderLambdasLimit_isServed() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = send(client, HttpRequest.BodyPublishers.ofByteArray(body(5 << 20)));

            assertThat(response.statusCode()).isEqualTo(204);
            assertThat(invocations).hasValue(1);
        }
    }

    private void assertAlways413(Supplier<HttpRequest.BodyPublisher> body) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < TRIES; i++) {
                HttpResponse<String> response = send(client, body.get());

                assertThat(response.statusCode()).as("try %d", i).isEqualTo(413);
                assertTooLarge(response);
            }
        }
        assertThat(invocations).hasValue(0);
    }

    private static void assertTooLarge(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(TOO_LARGE.getStatusCode());
        assertThat(response.body()).isEqualTo(TOO_LARGE.getBody());
        assertThat(response.headers().firstValue("Content-Type")).hasValue(TOO_LARGE.getHeaders().get("Content-Type"));
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).POST(body).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
