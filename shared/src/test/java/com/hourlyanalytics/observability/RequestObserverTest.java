package com.hourlyanalytics.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.testing.InvocationContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestObserverTest {

    /** Each nanoTime reading advances 1.25 ms. */
    private static final long STEP = 1_250_000;

    private final CapturedLines out = new CapturedLines();
    private final RequestObserver observer = out.observer(STEP);

    @Test
    void observe_acceptedEvent_writesItsMetricsThenOneRequestLine() {
        APIGatewayProxyResponseEvent response = observer.observe(request("POST"), (request, call) -> {
            boolean newUser = call.store(StoreOperation.RECORD, () -> true);
            call.accepted(EventType.CLICK, newUser);
            return HttpResponses.noContent();
        });

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(out.metrics()).containsExactly(
                CapturedLines.emf(MetricNames.STORE_LATENCY, "Milliseconds", "Operation", "record", "1.25"),
                CapturedLines.emf(MetricNames.EVENTS_ACCEPTED, "Count", "EventType", "click", "1"),
                CapturedLines.emf(MetricNames.NEW_UNIQUE_USERS, "Count", null, null, "1"));
        assertThat(out.requestLog()).isEqualTo(CapturedLines.parse("""
                {"timestamp":1709288100000,"route":"/analytics","method":"POST","status":204,"latencyMs":3.75,
                 "outcome":"accepted","events":1,"requestId":"req-1","lambdaRequestId":null,"apiKeyId":null}"""));
        assertThat(out.lines()).last().asString().contains("\"latencyMs\":3.750,");
    }

    @Test
    void observe_emfLine_hasTheExactEmbeddedMetricFormatStructure() {
        observer.observe(request("POST"), (request, call) -> {
            call.accepted(EventType.IMPRESSION, false);
            return HttpResponses.noContent();
        });

        assertThat(out.lines()).first().isEqualTo("{\"_aws\":{\"Timestamp\":1709288100000,\"CloudWatchMetrics\":"
                + "[{\"Namespace\":\"HourlyAnalytics\",\"Dimensions\":[[\"EventType\"]],"
                + "\"Metrics\":[{\"Name\":\"EventsAccepted\",\"Unit\":\"Count\"}]}]},"
                + "\"EventType\":\"impression\",\"EventsAccepted\":1}");
        assertThat(out.metrics()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"200, ok", "404, not_found", "405, method_not_allowed", "413, status_413"})
    void observe_responseWithoutOutcome_namesTheOutcomeByStatus(int status, String outcome) {
        observer.observe(request("GET"), (request, call) -> new APIGatewayProxyResponseEvent().withStatusCode(status));

        assertThat(out.requestLog().get("outcome").asText()).isEqualTo(outcome);
        assertThat(out.metrics()).isEmpty();
    }

    @Test
    void observe_unexpectedException_logs502AndRethrowsWithoutTheMessage() {
        assertThatThrownBy(() -> observer.observe(request("POST"), (request, call) -> {
            throw new ArithmeticException("user u-secret broke it");
        })).isInstanceOf(IllegalStateException.class)
                .hasMessage("handler failed with java.lang.ArithmeticException")
                .hasNoCause()
                .satisfies(thrown -> assertThat(thrown.getStackTrace()).isNotEmpty());

        assertThat(out.requestLog().get("status").asInt()).isEqualTo(502);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("error:ArithmeticException");
        assertThat(out.lines()).noneMatch(line -> line.contains("u-secret"));
    }

    @Test
    void observe_repeatedMetrics_shareOneLinePerDimensionValue() {
        observer.observe(request("POST"), (request, call) -> {
            call.store(StoreOperation.RECORD, () -> true);
            call.store(StoreOperation.RECORD, () -> false);
            call.accepted(EventType.CLICK, true);
            call.accepted(EventType.IMPRESSION, false);
            call.accepted(EventType.CLICK, true);
            return HttpResponses.noContent();
        });

        List<JsonNode> metrics = out.metrics();
        assertThat(metrics).hasSize(4);
        assertThat(metrics.get(0).get("StoreLatency")).isEqualTo(CapturedLines.parse("[1.25, 1.25]"));
        assertThat(metrics.get(1)).isEqualTo(CapturedLines.emf(MetricNames.EVENTS_ACCEPTED, "Count", "EventType", "click", "2"));
        assertThat(metrics.get(2)).isEqualTo(CapturedLines.emf(MetricNames.NEW_UNIQUE_USERS, "Count", null, null, "2"));
        assertThat(metrics.get(3)).isEqualTo(CapturedLines.emf(MetricNames.EVENTS_ACCEPTED, "Count", "EventType", "impression", "1"));
    }

    @Test
    void observe_moreThan100ValuesOfOneMetric_splitsThemAcrossLines() {
        observer.observe(request("POST"), (request, call) -> {
            IntStream.range(0, 150).forEach(i -> call.store(StoreOperation.RECORD, () -> true));
            return HttpResponses.noContent();
        });

        assertThat(out.metrics()).extracting(line -> line.get("StoreLatency").size()).containsExactly(100, 50);
    }

    @Test
    void observe_jvmError_stillLogsOneLineAndRethrowsTheErrorItself() {
        StackOverflowError error = new StackOverflowError();

        assertThatThrownBy(() -> observer.observe(request("POST"), new InvocationContext("lambda-1", 60_000), (request, call) -> {
            call.apiKeyId("key-id-1");
            throw error;
        })).isSameAs(error);

        assertThat(out.requestLog()).isEqualTo(CapturedLines.parse("""
                {"timestamp":1709288100000,"route":"/analytics","method":"POST","status":502,"latencyMs":1.25,
                 "outcome":"error:StackOverflowError","events":0,"requestId":"req-1","lambdaRequestId":"lambda-1",
                 "apiKeyId":"key-id-1"}"""));
    }

    @Test
    void observe_lambdaInvocation_namesItsRequestIdAndTheApiKeyId() {
        observer.observe(request("GET"), new InvocationContext("lambda-2", 60_000), (request, call) -> {
            call.apiKeyId("key-id-2");
            return HttpResponses.noContent();
        });

        assertThat(out.requestLog().get("lambdaRequestId").asText()).isEqualTo("lambda-2");
        assertThat(out.requestLog().get("apiKeyId").asText()).isEqualTo("key-id-2");
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("ok");
    }

    @Test
    void observe_handlerStillRunningAtTheDeadlineMargin_logsATimeoutOnceThenTheMetricsOnly() {
        // No time left beyond the margin: the watchdog fires at once, while the handler waits for its line.
        int remaining = (int) RequestObserver.TIMEOUT_MARGIN_MILLIS;

        APIGatewayProxyResponseEvent response = observer.observe(request("POST"), new InvocationContext("lambda-3", remaining),
                (request, call) -> {
                    awaitALine();
                    call.accepted(EventType.CLICK, false);
                    return HttpResponses.noContent();
                });

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("timeout");
        assertThat(out.requestLog().get("status").asInt()).isEqualTo(502);
        assertThat(out.requestLog().get("lambdaRequestId").asText()).isEqualTo("lambda-3");
        assertThat(out.metrics()).containsExactly(CapturedLines.emf(MetricNames.EVENTS_ACCEPTED, "Count", "EventType", "click", "1"));
    }

    @Test
    void observe_storeFailure_countsTheErrorByOperationByCodeAndByClass() {
        observer.observe(request("POST"), (request, call) -> {
            try {
                call.store(StoreOperation.RECORD, () -> {
                    throw new StoreUnavailableException(StoreErrorCode.UNPROCESSED_KEYS, "left keys");
                });
            } catch (StoreUnavailableException e) {
                call.storeUnavailable(e);
            }
            return HttpResponses.storeUnavailable();
        });

        assertThat(out.lines()).first().isEqualTo("{\"_aws\":{\"Timestamp\":1709288100000,\"CloudWatchMetrics\":"
                + "[{\"Namespace\":\"HourlyAnalytics\",\"Dimensions\":[[\"Operation\"],[\"Operation\",\"ErrorCode\"],[\"ErrorClass\"]],"
                + "\"Metrics\":[{\"Name\":\"StoreErrors\",\"Unit\":\"Count\"}]}]},"
                + "\"Operation\":\"record\",\"ErrorCode\":\"UnprocessedKeys\",\"ErrorClass\":\"availability\",\"StoreErrors\":1}");
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("store_unavailable");
        assertThat(out.requestLog().get("errorCode").asText()).isEqualTo("UnprocessedKeys");
        assertThat(out.requestLog().get("errorClass").asText()).isEqualTo("availability");
    }

    /** Waits (10 s at most, as a no-hang bound) until the watchdog's thread has written a line. */
    private void awaitALine() {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (out.lines().isEmpty()) {
            assertThat(System.nanoTime()).as("the watchdog wrote its line").isLessThan(giveUp);
            Thread.onSpinWait();
        }
    }

    private static APIGatewayProxyRequestEvent request(String method) {
        return new APIGatewayProxyRequestEvent().withResource("/analytics").withHttpMethod(method)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-1"));
    }
}
