package com.hourlyanalytics.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;

/**
 * What a function runs once before Lambda takes its SnapStart snapshot, so that restored instances start with
 * the SDK and the handler's classes loaded and initialised. Priming never changes the table: the store is
 * warmed with a read or with writes whose condition can never hold, and the handler with a request that
 * fails validation, before any store call.
 */
public final class SnapStartPriming {

    private SnapStartPriming() {
    }

    /** The runtime holds resources weakly: register the handler itself, which it keeps. */
    public static void register(Resource handler) {
        Core.getGlobalContext().register(handler);
    }

    /**
     * Warms the store, then runs the handler on {@code rejected} with no log or metric written.
     * A store that cannot be reached only leaves the snapshot colder; it must not fail the deployment.
     */
    public static void prime(Runnable storeWarmUp, RequestObserver.Handling handling,
                             APIGatewayProxyRequestEvent rejected) {
        try {
            storeWarmUp.run();
        } catch (StoreUnavailableException e) {
            System.out.println("{\"priming\":\"store unavailable, snapshot taken without it\"}");
        }
        var response = RequestObserver.discarding().observe(rejected, handling);
        try {
            ProxyEventJson.writeResponse(response, OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A POST whose last-checked parameter, the event type, is invalid: all of validation runs, then 400.
     * The timestamp is the handler's now, which passes the future and retention checks.
     */
    public static APIGatewayProxyRequestEvent rejectedPost(long nowMillis) {
        return request("POST", Map.of("timestamp", Long.toString(nowMillis), "user", "priming", "event", "priming"));
    }

    /** A GET whose timestamp is not a number. */
    public static APIGatewayProxyRequestEvent rejectedGet() {
        return request("GET", Map.of("timestamp", "priming"));
    }

    /** Goes through JSON as Lambda's events do, so that the snapshot holds the codec's classes too. */
    private static APIGatewayProxyRequestEvent request(String method, Map<String, String> query) {
        var multi = new HashMap<String, List<String>>();
        query.forEach((name, value) -> multi.put(name, List.of(value)));
        // A key id, as API Gateway always gives one: without it a closed function refuses the request before validation.
        var event = ProxyRequests.event(method, ProxyRequests.ANALYTICS, multi)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("priming")
                        .withIdentity(new KeyedIdentity().withApiKeyId("priming")));
        try {
            var json = new ByteArrayOutputStream();
            ProxyEventJson.writeRequest(event, json);
            return ProxyEventJson.readRequest(new ByteArrayInputStream(json.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
