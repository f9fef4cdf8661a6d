package com.hourlyanalytics.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.model.HourCounts;
import java.util.HashMap;
import java.util.Map;

/** Every answer the API gives: plain text, one line for errors, no stack traces. */
public final class HttpResponses {

    public static final String ALLOW_ANALYTICS = "GET, POST";
    public static final String ALLOW_BATCH = "POST";

    private HttpResponses() {
    }

    public static APIGatewayProxyResponseEvent noContent() {
        return new APIGatewayProxyResponseEvent().withStatusCode(204).withHeaders(Map.of());
    }

    /** GET's answer, the exact body of the public contract. It changes while its hour is open, so no cache may keep it. */
    public static APIGatewayProxyResponseEvent counts(HourCounts counts) {
        return text(200, countsBody(counts), Map.of("Cache-Control", "no-store"));
    }

    public static String countsBody(HourCounts counts) {
        return "unique_users," + counts.uniqueUsers() + "\nclicks," + counts.clicks()
                + "\nimpressions," + counts.impressions() + "\n";
    }

    public static APIGatewayProxyResponseEvent badRequest(String message) {
        return rejected(400, message);
    }

    /** A 4xx whose body is the one-line message naming the problem. */
    public static APIGatewayProxyResponseEvent rejected(int status, String message) {
        return text(status, message + "\n", Map.of());
    }

    public static APIGatewayProxyResponseEvent notFound() {
        return text(404, "no such resource; use /analytics\n", Map.of());
    }

    public static APIGatewayProxyResponseEvent methodNotAllowed(String allow) {
        return text(405, "method not allowed; use " + allow + "\n", Map.of("Allow", allow));
    }

    /** The store is down or slow: the caller may retry later. */
    public static APIGatewayProxyResponseEvent storeUnavailable() {
        return text(503, "store unavailable, try again shortly\n", Map.of("Retry-After", "1"));
    }

    /** The local runner sheds load past its bounds rather than queueing without limit. */
    public static APIGatewayProxyResponseEvent overloaded() {
        return text(503, "server busy, try again shortly\n", Map.of("Retry-After", "1"));
    }

    /** What API Gateway answers when the function fails; the local runner mirrors it for a handler bug. */
    public static APIGatewayProxyResponseEvent badGateway() {
        return text(502, "internal error\n", Map.of());
    }

    private static APIGatewayProxyResponseEvent text(int status, String body, Map<String, String> extraHeaders) {
        var headers = new HashMap<String, String>(extraHeaders);
        headers.put("Content-Type", "text/plain");
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body);
    }
}
