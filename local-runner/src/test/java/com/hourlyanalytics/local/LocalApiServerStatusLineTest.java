package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.ProxyRequests;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The raw status line of every status the functions and the gateway answer carries a reason phrase (Jetty's): the
 * JDK's own server sent {@code HTTP/1.1 422 } and {@code HTTP/1.1 429 }, no phrase, which clients show as an empty reason.
 */
class LocalApiServerStatusLineTest {

    private LocalApiServer server;

    @BeforeEach
    void start() throws Exception {
        // The handler answers the status the request's "status" parameter names.
        server = new LocalApiServer(0, List.of(ProxyRequests.ANALYTICS), LocalApiServer.Limits.DEFAULT,
                event -> {
                    int status = Integer.parseInt(event.getQueryStringParameters().get("status"));
                    return new APIGatewayProxyResponseEvent().withStatusCode(status).withBody(status == 204 ? null : "x\n");
                },
                event -> null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource({"200,OK", "204,No Content", "400,Bad Request", "403,Forbidden", "404,Not Found", "405,Method Not Allowed",
            "413,Payload Too Large", "422,Unprocessable Entity", "429,Too Many Requests", "500,Server Error",
            "502,Bad Gateway", "503,Service Unavailable", "504,Gateway Timeout"})
    void everyStatus_statusLineHasItsReasonPhrase(int status, String phrase) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /analytics?status=" + status + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();

            assertThat(statusLine).isEqualTo("HTTP/1.1 " + status + " " + phrase);
        }
    }
}
