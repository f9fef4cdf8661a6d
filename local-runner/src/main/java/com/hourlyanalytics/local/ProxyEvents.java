package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.ApiKey;
import com.sun.net.httpserver.HttpExchange;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Builds REST proxy events as API Gateway does; both query maps are filled. */
final class ProxyEvents {
    private ProxyEvents() {
    }

    /** @throws CharacterCodingException when the body is not UTF-8, which would otherwise merge distinct user ids */
    static APIGatewayProxyRequestEvent from(HttpExchange exchange, String resource, byte[] body, Optional<ApiKey> key)
            throws QueryStringDecoder.MalformedQueryException, CharacterCodingException {
        Map<String, List<String>> multi = QueryStringDecoder.decode(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new HashMap<>();
        Map<String, List<String>> multiHeaders = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(values.size() - 1));
            multiHeaders.put(name, values);
        });
        String method = exchange.getRequestMethod();
        String requestId = UUID.randomUUID().toString();
        return ProxyRequests.event(method, resource, multi)
                .withHeaders(headers)
                .withMultiValueHeaders(multiHeaders)
                .withBody(body.length == 0 ? null : StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(body)).toString())
                .withIsBase64Encoded(false)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withRequestId(requestId)
                        // When the gateway received it: the functions bound a batch's writes by it plus 29 s.
                        .withRequestTimeEpoch(System.currentTimeMillis())
                        .withStage("local")
                        .withHttpMethod(method)
                        .withResourcePath(resource)
                        .withPath(resource)
                        .withIdentity(identity(exchange, key)));
    }

    /** As API Gateway fills it: the caller's address and user agent, and the key (value and id) that let it in. */
    private static KeyedIdentity identity(HttpExchange exchange, Optional<ApiKey> key) {
        KeyedIdentity identity = new KeyedIdentity().withApiKeyId(key.map(ApiKey::id).orElse(null));
        identity.setSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.setUserAgent(exchange.getRequestHeaders().getFirst("User-Agent"));
        identity.setApiKey(key.map(ApiKey::value).orElse(null));
        return identity;
    }
}
