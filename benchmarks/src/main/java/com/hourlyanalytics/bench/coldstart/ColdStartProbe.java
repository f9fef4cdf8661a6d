package com.hourlyanalytics.bench.coldstart;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.api.ProxyEventJson;
import com.hourlyanalytics.api.ProxyRequests;
import com.hourlyanalytics.bench.ChildJvm;
import com.hourlyanalytics.bench.Stats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Resource;

/**
 * One cold start, in a fresh JVM whose classpath is the function's shaded jar and this class only: what Lambda's
 * init phase does (load the handler class, run its no-arg constructor), optionally the SnapStart priming hook,
 * then the first request and a second one. The request comes from events/*.json, read by the parent and passed as
 * arguments; the function gets it as JSON, as from Lambda, so its own parsing is timed.
 * Usage: ColdStartProbe HANDLER_CLASS PRIME(true|false) METHOD RESOURCE REQUEST_ID [name=value ...]
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long mainEntry = System.nanoTime();
        var event = new ByteArrayOutputStream();
        ProxyEventJson.writeRequest(event(args), event);
        // Main-thread CPU time, which machine load does not inflate (JIT and GC threads run beside it).
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long initialized = System.nanoTime();
        long cpuInitialized = threads.getCurrentThreadCpuTime();
        if (Boolean.parseBoolean(args[1])) {
            ((Resource) handler).beforeCheckpoint(null);
        }
        long primed = System.nanoTime();
        long cpuPrimed = threads.getCurrentThreadCpuTime();
        var function = (RequestStreamHandler) handler;
        var output = new ByteArrayOutputStream();
        function.handleRequest(new ByteArrayInputStream(event.toByteArray()), output, null);
        long first = System.nanoTime();
        long cpuFirst = threads.getCurrentThreadCpuTime();
        function.handleRequest(new ByteArrayInputStream(event.toByteArray()), new ByteArrayOutputStream(), null);
        long second = System.nanoTime();
        APIGatewayProxyResponseEvent response = ProxyEventJson.readResponse(new ByteArrayInputStream(output.toByteArray()));

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", response.getStatusCode());
        result.put("mainEntryNanos", mainEntry);
        result.put("initMs", Stats.format(Stats.millis(initialized - start)));
        result.put("primeMs", Stats.format(Stats.millis(primed - initialized)));
        result.put("firstRequestMs", Stats.format(Stats.millis(first - primed)));
        result.put("secondRequestMs", Stats.format(Stats.millis(second - first)));
        result.put("initCpuMs", Stats.format(Stats.millis(cpuInitialized - cpuStart)));
        result.put("firstRequestCpuMs", Stats.format(Stats.millis(cpuFirst - cpuPrimed)));
        ChildJvm.report(result);
    }

    private static APIGatewayProxyRequestEvent event(String[] args) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            query.put(pair[0], List.of(pair[1]));
        }
        return ProxyRequests.event(args[2], args[3], query)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId(args[4]));
    }
}
