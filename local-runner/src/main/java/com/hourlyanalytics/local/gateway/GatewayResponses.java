package com.hourlyanalytics.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.hourlyanalytics.local.template.CloudFormationYaml;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What API Gateway itself answers, before or instead of the function: the gateway response of each type, as the
 * API's {@code GatewayResponses} in template.yaml customise it. API Gateway's rules: a customised type answers with
 * its own StatusCode, headers and template; a type not customised takes DEFAULT_4XX's or DEFAULT_5XX's (by its
 * status code) headers and template, and that one's StatusCode if it has one, else its own; with neither, API
 * Gateway's default, JSON {@code {"message": ...}}.
 */
public final class GatewayResponses {

    /**
     * The types the runner answers, with API Gateway's default status, message and {@code x-amzn-ErrorType}. The
     * default bodies are those seen from AWS, spacing included.
     */
    public enum Type {
        /** No x-api-key, or one no usage plan knows (API Gateway has no separate type for a missing key). */
        INVALID_API_KEY(403, "Forbidden", "{\"message\":\"Forbidden\"}", "ForbiddenException"),
        /** A path the API has no method for; API Gateway answers it before looking at the key. */
        MISSING_AUTHENTICATION_TOKEN(403, "Missing Authentication Token", "{\"message\":\"Missing Authentication Token\"}",
                "MissingAuthenticationTokenException"),
        /** The key's or the stage's token bucket is empty. */
        THROTTLED(429, "Too Many Requests", "{\"message\":\"Too Many Requests\"}", "TooManyRequestsException"),
        /** The key has used its quota for the period. */
        QUOTA_EXCEEDED(429, "Limit Exceeded", "{\"message\":\"Limit Exceeded\"}", "LimitExceededException"),
        /** A body over API Gateway's 10 MB, or a proxy event over Lambda's 6 MB (the only 413 type). */
        REQUEST_TOO_LARGE(413, "Request Too Long", "{\"message\": \"Request Too Long\"}", "BadRequestException"),
        /** No answer from the function within the integration timeout; the function may go on. */
        INTEGRATION_TIMEOUT(504, "Endpoint request timed out", "{\"message\": \"Endpoint request timed out\"}", null);

        private final int status;
        private final String message;
        private final String defaultBody;
        private final String errorType;

        Type(int status, String message, String defaultBody, String errorType) {
            this.status = status;
            this.message = message;
            this.defaultBody = defaultBody;
            this.errorType = errorType;
        }

        public int status() {
            return status;
        }

        /** {@code $context.error.message}. */
        public String message() {
            return message;
        }

        private String fallbackType() {
            return status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
        }
    }

    /** One entry of {@code GatewayResponses}: what the template says, unrendered. */
    private record Customisation(Optional<Integer> status, Map<String, String> headers, Optional<String> template) {
    }

    private record Answer(int status, Map<String, String> headers, String body) {
    }

    /** API Gateway's own answers, as on an API whose template customises none. */
    public static final GatewayResponses DEFAULTS = new GatewayResponses(Map.of());

    /** The template's one template for a gateway response; the runner's refusals carry no Accept to choose by. */
    private static final String MEDIA_TYPE = "application/json";

    private final Map<Type, Answer> answers = new EnumMap<>(Type.class);

    private GatewayResponses(Map<String, Customisation> customised) {
        for (Type type : Type.values()) {
            answers.put(type, answer(type, customised));
        }
    }

    /** The {@code GatewayResponses} of the template's one {@code AWS::Serverless::Api}. */
    public static GatewayResponses fromTemplate(Path template) {
        return fromTemplate(CloudFormationYaml.read(template));
    }

    static GatewayResponses fromTemplate(JsonNode template) {
        JsonNode api = CloudFormationYaml.onlyResource(template, "AWS::Serverless::Api").getValue();
        Map<String, Customisation> customised = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = api.path("Properties").path("GatewayResponses").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            customised.put(entry.getKey(), customisation(entry.getKey(), entry.getValue()));
        }
        return new GatewayResponses(customised);
    }

    /** A fresh response (the event is mutable) of {@code type}. */
    public APIGatewayProxyResponseEvent answer(Type type) {
        Answer answer = answers.get(type);
        return new APIGatewayProxyResponseEvent().withStatusCode(answer.status()).withHeaders(new LinkedHashMap<>(answer.headers()))
                .withBody(answer.body());
    }

    private static Answer answer(Type type, Map<String, Customisation> customised) {
        Customisation own = customised.get(type.name());
        Customisation fallback = customised.get(type.fallbackType());
        Map<String, String> headers = new LinkedHashMap<>();
        if (own == null && fallback == null) {
            headers.put("Content-Type", "application/json");
            addErrorType(type, headers);
            return new Answer(type.status, Map.copyOf(headers), type.defaultBody);
        }
        Customisation chosen = own != null ? own : fallback;
        int status = chosen.status().orElse(type.status);
        headers.put("Content-Type", "application/json");
        headers.putAll(chosen.headers());
        addErrorType(type, headers);
        String body = chosen.template().map(template -> render(template, type)).orElse(type.defaultBody);
        return new Answer(status, Map.copyOf(headers), body);
    }

    /** API Gateway adds its error type to its own answers, customised or not. */
    private static void addErrorType(Type type, Map<String, String> headers) {
        if (type.errorType != null) {
            headers.put("x-amzn-ErrorType", type.errorType);
        }
    }

    private static String render(String template, Type type) {
        // messageString first: message is its prefix.
        return template.replace("$context.error.messageString", TextNode.valueOf(type.message).toString())
                .replace("$context.error.message", type.message)
                .replace("$context.error.responseType", type.name());
    }

    private static Customisation customisation(String type, JsonNode node) {
        Optional<Integer> status = node.has("StatusCode") ? Optional.of(Integer.parseInt(node.path("StatusCode").asText()))
                : Optional.empty();
        Map<String, String> headers = new LinkedHashMap<>();
        node.path("ResponseParameters").path("Headers").fields().forEachRemaining(header -> {
            String value = header.getValue().asText();
            if (!header.getValue().isTextual() || value.length() < 2 || !value.startsWith("'") || !value.endsWith("'")) {
                throw new IllegalArgumentException("GatewayResponses " + type + ": header " + header.getKey()
                        + " is not a 'quoted' literal, the only kind the local runner can answer");
            }
            headers.put(header.getKey(), value.substring(1, value.length() - 1));
        });
        JsonNode template = node.path("ResponseTemplates").path(MEDIA_TYPE);
        if (template.isTextual()) {
            String unknown = render(template.asText(), Type.INVALID_API_KEY);
            if (unknown.contains("$")) {
                throw new IllegalArgumentException("GatewayResponses " + type + ": the " + MEDIA_TYPE
                        + " template uses a variable other than $context.error.message, messageString or responseType");
            }
        }
        return new Customisation(status, Map.copyOf(headers), template.isTextual() ? Optional.of(template.asText()) : Optional.empty());
    }
}
