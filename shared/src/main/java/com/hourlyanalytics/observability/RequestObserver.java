package com.hourlyanalytics.observability;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.store.StoreErrorCode;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Wraps a handler's work and writes the request's metrics (EMF) and exactly one JSON log line to the sink (stdout
 * in Lambda, where CloudWatch Logs picks both up), also when the handler throws an Error or the invocation is about
 * to time out. The log line holds the route template, method, status, latency, outcome, events counted, the API
 * Gateway and Lambda request ids and the API key's id, and nothing else the caller sent: no user id, query string,
 * header or API key value.
 */
public final class RequestObserver {

    /**
     * How long before the invocation's deadline the watchdog writes a {@code timeout} line: Lambda freezes the
     * process at the deadline, so a line written later would never reach CloudWatch.
     */
    static final long TIMEOUT_MARGIN_MILLIS = 300;
    /** What API Gateway answers when the function fails or times out (a Lambda proxy integration error). */
    static final int FUNCTION_ERROR_STATUS = 502;

    /** A handler's work for one request; what it throws is a bug (see http.RequestHandling for expected failures). */
    @FunctionalInterface
    public interface Handling {
        APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request, RequestObservation call);
    }

    private final Consumer<String> sink;
    private final Clock clock;
    private final LongSupplier nanoTime;
    /** One daemon thread for every invocation's watchdog; made on the first Lambda invocation (never before a snapshot). */
    private ScheduledThreadPoolExecutor watchdogs;

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

    /** A request outside Lambda (the in-process local runner, tests): no invocation id, no deadline. */
    public APIGatewayProxyResponseEvent observe(APIGatewayProxyRequestEvent request, Handling handling) {
        return observe(request, null, handling);
    }

    /**
     * One Lambda invocation: the line also carries Lambda's request id, and if the handler is still running
     * {@link #TIMEOUT_MARGIN_MILLIS} before the invocation's deadline, the line is written then, as a timeout.
     */
    public APIGatewayProxyResponseEvent observe(APIGatewayProxyRequestEvent request, Context lambda, Handling handling) {
        long timestamp = clock.millis();
        long start = nanoTime.getAsLong();
        RequestObservation call = new RequestObservation(nanoTime);
        String lambdaRequestId = lambda == null ? null : lambda.getAwsRequestId();
        AtomicBoolean logged = new AtomicBoolean();
        ScheduledFuture<?> watchdog = lambda == null ? null : watchdogs().schedule(() -> {
            if (logged.compareAndSet(false, true)) {
                writeLine(request, lambdaRequestId, FUNCTION_ERROR_STATUS, "timeout", timestamp, start, call.apiKeyId(), 0, null);
            }
        }, Math.max(0, lambda.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MILLIS), TimeUnit.MILLISECONDS);
        try {
            APIGatewayProxyResponseEvent response = handling.handle(request, call);
            call.writeMetrics(timestamp, sink);
            if (logged.compareAndSet(false, true)) {
                writeLine(request, lambdaRequestId, response.getStatusCode(),
                        call.outcome() != null ? call.outcome() : outcomeOf(response.getStatusCode()),
                        timestamp, start, call.apiKeyId(), call.events(), call.storeError());
            }
            return response;
        } catch (RuntimeException | Error e) {
            // A bug, or the JVM failing (out of memory, a missing class). Lambda reports the error (the Errors metric
            // and alarm) and logs what is thrown; API Gateway answers 502. Nothing the handler counted is reported.
            if (logged.compareAndSet(false, true)) {
                writeLine(request, lambdaRequestId, FUNCTION_ERROR_STATUS, "error:" + e.getClass().getSimpleName(),
                        timestamp, start, call.apiKeyId(), 0, null);
            }
            if (e instanceof Error error) {
                throw error;
            }
            // What is thrown keeps the type and the stack but not the message, which could quote input.
            IllegalStateException withoutInput = new IllegalStateException("handler failed with " + e.getClass().getName());
            withoutInput.setStackTrace(e.getStackTrace());
            throw withoutInput;
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    private synchronized ScheduledThreadPoolExecutor watchdogs() {
        if (watchdogs == null) {
            watchdogs = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, "request-watchdog");
                thread.setDaemon(true);
                return thread;
            });
            // A cancelled watchdog (every request that ends in time) leaves the queue at once.
            watchdogs.setRemoveOnCancelPolicy(true);
        }
        return watchdogs;
    }

    private void writeLine(APIGatewayProxyRequestEvent request, String lambdaRequestId, int status, String outcome,
                           long timestamp, long start, String apiKeyId, long events, StoreErrorCode storeError) {
        long latency = nanoTime.getAsLong() - start;
        var context = request.getRequestContext();
        JsonLine line = new JsonLine().beginObject()
                .field("timestamp", timestamp)
                .field("route", request.getResource())
                .field("method", request.getHttpMethod())
                .field("status", status)
                .name("latencyMs").millis(latency)
                .field("outcome", outcome)
                .field("events", events)
                .field("requestId", context == null ? null : context.getRequestId())
                .field("lambdaRequestId", lambdaRequestId)
                .field("apiKeyId", apiKeyId);
        if (storeError != null) {
            line.field("errorCode", storeError.dimensionValue()).field("errorClass", storeError.errorClass());
        }
        sink.accept(line.endObject().toString());
    }

    private static String outcomeOf(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            default -> status < 400 ? "ok" : "status_" + status;
        };
    }
}
