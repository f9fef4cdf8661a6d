package com.hourlyanalytics.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;

/**
 * What API Gateway itself answers, before or instead of the function: its default gateway responses (JSON
 * {@code {"message": ...}}) and the front end's plain-text 413 for a body past 10 MB.
 */
public final class GatewayResponses {

    private GatewayResponses() {
    }

    /** INVALID_API_KEY: no x-api-key, or one no usage plan knows. */
    public static APIGatewayProxyResponseEvent forbidden() {
        return json(403, "{\"message\":\"Forbidden\"}", "ForbiddenException");
    }

    /** THROTTLED: the key's or the stage's token bucket is empty. */
    public static APIGatewayProxyResponseEvent tooManyRequests() {
        return json(429, "{\"message\":\"Too Many Requests\"}", "TooManyRequestsException");
    }

    /** QUOTA_EXCEEDED: the key has used its quota for the period. */
    public static APIGatewayProxyResponseEvent limitExceeded() {
        return json(429, "{\"message\":\"Limit Exceeded\"}", "LimitExceededException");
    }

    /** INTEGRATION_TIMEOUT: no answer from the function within the integration timeout; the function may go on. */
    public static APIGatewayProxyResponseEvent endpointTimedOut() {
        return json(504, "{\"message\": \"Endpoint request timed out\"}", null);
    }

    /** The event is over Lambda's 6 MB invocation payload: Lambda refuses it, API Gateway answers 413. */
    public static APIGatewayProxyResponseEvent requestTooLong() {
        return json(413, "{\"message\": \"Request Too Long\"}", "BadRequestException");
    }

    /** A body over API Gateway's 10 MB: refused in front of the API, in plain text. */
    public static APIGatewayProxyResponseEvent contentLengthExceeded() {
        return new APIGatewayProxyResponseEvent().withStatusCode(413)
                .withHeaders(Map.of("Content-Type", "text/plain; charset=utf-8"))
                .withBody("HTTP content length exceeded " + Gateway.MAX_BODY_BYTES + " bytes.");
    }

    private static APIGatewayProxyResponseEvent json(int status, String body, String errorType) {
        Map<String, String> headers = errorType == null ? Map.of("Content-Type", "application/json")
                : Map.of("Content-Type", "application/json", "x-amzn-ErrorType", errorType);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body);
    }
}
