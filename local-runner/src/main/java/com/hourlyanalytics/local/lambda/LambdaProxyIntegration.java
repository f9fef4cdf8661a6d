package com.hourlyanalytics.local.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.http.HttpResponses;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * API Gateway's Lambda proxy integration over a {@link ContainerPool}: the REST proxy event goes to the function
 * as JSON, and its JSON answer ({@code statusCode}, {@code headers}, {@code multiValueHeaders}, {@code body}) comes
 * back as the HTTP response. A function error, a timeout or an answer that is not a proxy response is a 502, as
 * API Gateway gives; no free container within the pool's wait is the runner's 503.
 */
public final class LambdaProxyIntegration implements Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    /**
     * Plays API Gateway's side with jackson-databind, not the functions' own ProxyEventJson: an independent encoder,
     * so that a mistake in the functions' codec shows here instead of cancelling itself out.
     */
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContainerPool pool;
    private final PrintStream log;

    public LambdaProxyIntegration(ContainerPool pool, PrintStream log) {
        this.pool = pool;
        this.log = log;
    }

    @Override
    public APIGatewayProxyResponseEvent apply(APIGatewayProxyRequestEvent event) {
        Optional<InvocationOutcome> outcome;
        try {
            outcome = pool.invoke(JSON.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpResponses.overloaded();
        }
        if (outcome.isEmpty()) {
            return HttpResponses.overloaded();
        }
        return switch (outcome.get()) {
            case InvocationOutcome.Response response -> toHttp(response.payload());
            case InvocationOutcome.Error error -> {
                log.println("function error: " + new String(error.payload(), StandardCharsets.UTF_8));
                yield HttpResponses.badGateway();
            }
        };
    }

    private APIGatewayProxyResponseEvent toHttp(byte[] payload) {
        try {
            JsonNode json = JSON.readTree(payload);
            if (json == null || !json.path("statusCode").canConvertToInt()) {
                throw new IOException("no statusCode");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            json.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            Map<String, List<String>> multiValueHeaders = new LinkedHashMap<>();
            json.path("multiValueHeaders").fields().forEachRemaining(h -> {
                List<String> values = new ArrayList<>();
                h.getValue().forEach(v -> values.add(v.asText()));
                multiValueHeaders.put(h.getKey(), values);
            });
            JsonNode body = json.path("body");
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(json.path("statusCode").asInt())
                    .withHeaders(headers)
                    .withMultiValueHeaders(multiValueHeaders.isEmpty() ? null : multiValueHeaders)
                    .withBody(body.isNull() || body.isMissingNode() ? null : body.asText())
                    .withIsBase64Encoded(json.path("isBase64Encoded").asBoolean(false));
        } catch (IOException e) {
            log.println("malformed Lambda proxy response (" + e.getMessage() + "): " + new String(payload, StandardCharsets.UTF_8));
            return HttpResponses.badGateway();
        }
    }
}
