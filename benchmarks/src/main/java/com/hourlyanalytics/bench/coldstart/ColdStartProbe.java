package com.hourlyanalytics.bench.coldstart;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.bench.ChildJvm;
import com.hourlyanalytics.bench.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.crac.Resource;

/**
 * One cold start, in a fresh JVM whose classpath is the function's shaded jar, this class and Jackson (which
 * stands in for the Lambda runtime's event deserialiser and is timed apart): what Lambda's init phase does
 * (load the handler class, run its no-arg constructor), optionally the SnapStart priming hook, then the
 * first request and a second one. Usage: ColdStartProbe HANDLER_CLASS EVENT_FILE PRIME(true|false)
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainEntry = System.nanoTime();
        String eventJson = Files.readString(Path.of(args[1]));
        boolean prime = Boolean.parseBoolean(args[2]);

        long start = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long initialized = System.nanoTime();
        if (prime) {
            ((Resource) handler).beforeCheckpoint(null);
        }
        long primed = System.nanoTime();
        APIGatewayProxyRequestEvent event = new ObjectMapper()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(eventJson, APIGatewayProxyRequestEvent.class);
        long parsed = System.nanoTime();
        @SuppressWarnings("unchecked")
        var function = (RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>) handler;
        APIGatewayProxyResponseEvent response = function.handleRequest(event, null);
        long first = System.nanoTime();
        function.handleRequest(event, null);
        long second = System.nanoTime();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", response.getStatusCode());
        result.put("mainEntryNanos", mainEntry);
        result.put("initMs", Stats.format(Stats.millis(initialized - start)));
        result.put("primeMs", Stats.format(Stats.millis(primed - initialized)));
        result.put("eventParseMs", Stats.format(Stats.millis(parsed - primed)));
        result.put("firstRequestMs", Stats.format(Stats.millis(first - parsed)));
        result.put("secondRequestMs", Stats.format(Stats.millis(second - first)));
        ChildJvm.report(result);
    }
}
