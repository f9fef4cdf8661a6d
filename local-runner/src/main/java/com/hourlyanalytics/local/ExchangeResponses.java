package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Writes a proxy response as the HTTP response, as API Gateway does. */
final class ExchangeResponses {

    private ExchangeResponses() {
    }

    static void send(HttpExchange exchange, APIGatewayProxyResponseEvent response) throws IOException {
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
}
