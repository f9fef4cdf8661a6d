package com.hourlyanalytics.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.model.EventType;
import java.util.List;
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
                 "outcome":"accepted","requestId":"req-1"}"""));
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
    void observe_unexpectedError_logs500AndRethrowsWithoutTheMessage() {
        assertThatThrownBy(() -> observer.observe(request("POST"), (request, call) -> {
            throw new ArithmeticException("user u-secret broke it");
        })).isInstanceOf(IllegalStateException.class)
                .hasMessage("handler failed with java.lang.ArithmeticException")
                .hasNoCause()
                .satisfies(thrown -> assertThat(thrown.getStackTrace()).isNotEmpty());

        assertThat(out.requestLog().get("status").asInt()).isEqualTo(500);
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

    private static APIGatewayProxyRequestEvent request(String method) {
        return new APIGatewayProxyRequestEvent().withResource("/analytics").withHttpMethod(method)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-1"));
    }
}
