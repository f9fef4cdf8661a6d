package com.hourlyanalytics.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.HashMap;
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
        Map<String, String> single = new HashMap<>();
        Map<String, List<String>> multi = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            single.put(pair[0], pair[1]);
            multi.put(pair[0], List.of(pair[1]));
        }
        var request = new APIGatewayProxyRequestEvent().withResource("/analytics").withPath("/analytics")
                .withHttpMethod(args[1]).withQueryStringParameters(single).withMultiValueQueryStringParameters(multi)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("probe-1"));
        @SuppressWarnings("unchecked")
        var function = (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler;
        APIGatewayProxyResponseEvent response = function.handleRequest(request, null);
        System.out.println("status=" + response.getStatusCode());
        System.out.println("body=" + String.valueOf(response.getBody()).replace("\n", "|"));
    }
}
