package com.hourlyanalytics.it.runtime;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Resource;

/**
 * Run by {@link ShadedJarsIT} in a JVM whose classpath is one function jar (plus this class): builds the handler
 * as Lambda does, runs its SnapStart priming, serves one request. Uses only the JDK and what the jar must hold.
 * Usage: ShadedJarProbe HANDLER_CLASS METHOD [name=value ...]
 */
public final class ShadedJarProbe {

    private ShadedJarProbe() {
    }

    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        ((Resource) handler).beforeCheckpoint(null);
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            query.put(pair[0], List.of(pair[1]));
        }
        var request = ProxyRequests.event(args[1], ProxyRequests.ANALYTICS, query)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("probe-1")
                        // As API Gateway sends it: a deployed function refuses a request without its key's id.
                        .withIdentity(new KeyedIdentity().withApiKeyId("probe-key")));
        var event = new ByteArrayOutputStream();
        ProxyEventJson.writeRequest(request, event);
        var output = new ByteArrayOutputStream();
        ((RequestStreamHandler) handler).handleRequest(new ByteArrayInputStream(event.toByteArray()), output, null);
        APIGatewayProxyResponseEvent response = ProxyEventJson.readResponse(new ByteArrayInputStream(output.toByteArray()));
        System.out.println("status=" + response.getStatusCode());
        System.out.println("body=" + String.valueOf(response.getBody()).replace("\n", "|"));
    }
}
