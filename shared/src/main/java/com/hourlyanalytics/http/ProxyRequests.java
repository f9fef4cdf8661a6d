package com.hourlyanalytics.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.model.PartnerKeys;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads what the handlers need out of an API Gateway REST proxy event. */
public final class ProxyRequests {

    public static final String ANALYTICS = "/analytics";
    public static final String ANALYTICS_BATCH = "/analytics/batch";

    private ProxyRequests() {
    }

    /**
     * A proxy event for a method, resource and decoded query, with both query maps filled as API Gateway fills
     * them: the single-value map keeps a repeated name's last value. Callers add headers, body and context.
     */
    public static APIGatewayProxyRequestEvent event(String method, String resource, Map<String, List<String>> query) {
        Map<String, String> single = new LinkedHashMap<>();
        query.forEach((name, values) -> single.put(name, values.get(values.size() - 1)));
        return new APIGatewayProxyRequestEvent()
                .withResource(resource)
                .withPath(resource)
                .withHttpMethod(method)
                .withQueryStringParameters(single.isEmpty() ? null : single)
                .withMultiValueQueryStringParameters(query.isEmpty() ? null : query);
    }

    /** The multi-value map shows repeats; an event that lacks it (hand-written tests) falls back to the single map. */
    public static QueryParameters queryParameters(APIGatewayProxyRequestEvent event) {
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        if (multi != null) {
            return new QueryParameters(multi);
        }
        Map<String, String> single = event.getQueryStringParameters();
        return new QueryParameters(single == null ? Map.of()
                : single.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> Collections.singletonList(e.getValue()))));
    }

    /** The API resource: API Gateway's template path, else the raw path. */
    public static String resource(APIGatewayProxyRequestEvent event) {
        String resource = event.getResource();
        return resource != null ? resource : event.getPath();
    }

    /**
     * The body as text; API Gateway base64-encodes it only for binary media types. Bytes that are not UTF-8 are
     * refused, not replaced: U+FFFD would make distinct user ids one.
     */
    public static String body(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body != null && Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(body);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("invalid_body", "request body is not valid base64");
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new InvalidRequestException("invalid_body", "request body is not valid UTF-8");
            }
        }
        return body;
    }

    /** Why a request without an API key id is refused: a metric dimension and the log line's outcome. */
    public static final String MISSING_API_KEY_ID = "missing_api_key_id";

    /**
     * The caller's partner: the one its API key id belongs to ({@code requestContext.identity.apiKeyId}, never the
     * key's value). An event without a key id never came through the keyed API (a direct invoke, a route without a
     * key): it is refused with 403, unless the mapping allows keyless requests (the open local API).
     */
    public static Partner partner(APIGatewayProxyRequestEvent event, PartnerKeys partners) {
        ProxyRequestContext context = event.getRequestContext();
        String apiKeyId = context == null ? null : KeyedIdentity.apiKeyId(context.getIdentity());
        try {
            return partners.partnerOf(apiKeyId).orElseThrow(() -> InvalidRequestException.forbidden(MISSING_API_KEY_ID,
                    "request has no API key id (requestContext.identity.apiKeyId); call the API with an x-api-key header"));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("invalid_api_key_id", "the API key's id cannot name a partner: " + e.getMessage());
        }
    }

    /** API Gateway answers 504 this long after it received a request, whatever the function is still doing. */
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

    /**
     * When API Gateway stops waiting for this request's answer (epoch ms): its {@code requestTimeEpoch} plus
     * {@link #INTEGRATION_TIMEOUT}; {@code Long.MAX_VALUE} when the event does not say when it was received.
     */
    public static long answerByMillis(APIGatewayProxyRequestEvent event) {
        ProxyRequestContext context = event.getRequestContext();
        Long received = context == null ? null : context.getRequestTimeEpoch();
        return received == null ? Long.MAX_VALUE : received + INTEGRATION_TIMEOUT.toMillis();
    }

    /**
     * {@link #answerByMillis}, once it is known to be still ahead of {@code nowMillis}.
     *
     * @throws InvalidRequestException 504 naming when the request was received, when API Gateway already stopped waiting
     */
    public static long awaitedAnswerByMillis(APIGatewayProxyRequestEvent event, long nowMillis) {
        long answerBy = answerByMillis(event);
        if (answerBy <= nowMillis) {
            throw InvalidRequestException.notAwaited("the request was received at "
                    + Instant.ofEpochMilli(answerBy - INTEGRATION_TIMEOUT.toMillis()) + " (requestContext.requestTimeEpoch), over "
                    + INTEGRATION_TIMEOUT.toSeconds() + " s ago: API Gateway no longer waits for its answer, so nothing was written");
        }
        return answerBy;
    }

    public static boolean isMethod(APIGatewayProxyRequestEvent event, String method) {
        return method.equalsIgnoreCase(event.getHttpMethod());
    }
}
