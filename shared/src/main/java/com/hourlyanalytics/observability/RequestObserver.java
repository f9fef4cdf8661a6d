package com.hourlyanalytics.observability;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Wraps a handler's work and writes the request's metrics (EMF) and one JSON log line to the sink (stdout in Lambda, where CloudWatch Logs picks both up).
 * The log line holds the route template, method, status, latency, outcome and API Gateway request id, and
 * nothing the caller sent beyond that: no user id, query string, header or API key.
 */
public final class RequestObserver {

    /** A handler's work for one request; what it throws is a bug (see http.RequestHandling for expected failures). */
    @FunctionalInterface
    public interface Handling {
        APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, RequestObservation call);
    }

    private final Consumer<String> sink;
    private final Clock clock;
    private final LongSupplier nanoTime;

    public RequestObserver(Consumer<String> sink, Clock clock, LongSupplier nanoTime) {
        this.sink = sink;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** Lambda's: println keeps each line whole when requests run concurrently (the local runner). */
    public static RequestObserver toStdout(Clock clock) {
        return new RequestObserver(System.out::println, clock, System::nanoTime);
    }

    /** For SnapStart priming: the same code runs, but no line is written, so priming adds no metric. */
    public static RequestObserver discarding() {
        return new RequestObserver(line -> { }, Clock.systemUTC(), System::nanoTime);
    }

    public APIGatewayProxyResponseEvent observe(APIGatewayProxyRequestEvent request, Handling handling) {
        long timestamp = clock.millis();
        long start = nanoTime.getAsLong();
        RequestObservation call = new RequestObservation(nanoTime);
        APIGatewayProxyResponseEvent response;
        try {
            response = handling.handle(request, call);
        } catch (RuntimeException e) {
            // A bug: Lambda reports the error (the Errors metric and alarm) and logs what is thrown, so what is
            // thrown keeps the type and the stack but not the message, which could quote input.
            call.outcome("error:" + e.getClass().getSimpleName());
            write(request, 500, timestamp, start, call);
            IllegalStateException withoutInput = new IllegalStateException("handler failed with " + e.getClass().getName());
            withoutInput.setStackTrace(e.getStackTrace());
            throw withoutInput;
        }
        write(request, response.getStatusCode(), timestamp, start, call);
        return response;
    }

    private void write(APIGatewayProxyRequestEvent request, int status, long timestamp, long start,
                       RequestObservation call) {
        long latency = nanoTime.getAsLong() - start;
        call.writeMetrics(timestamp, sink);
        var context = request.getRequestContext();
        sink.accept(new JsonLine().beginObject()
                .field("timestamp", timestamp)
                .field("route", request.getResource())
                .field("method", request.getHttpMethod())
                .field("status", status)
                .name("latencyMs").millis(latency)
                .field("outcome", call.outcome() != null ? call.outcome() : outcomeOf(status))
                .field("requestId", context == null ? null : context.getRequestId())
                .endObject().toString());
    }

    private static String outcomeOf(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> status < 400 ? "ok" : "status_" + status;
        };
    }
}
