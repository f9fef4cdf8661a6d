package com.hourlyanalytics.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.observability.CapturedLines;
import com.hourlyanalytics.observability.MetricNames;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.observability.StoreOperation;
import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.StoreUnavailableException;
import org.junit.jupiter.api.Test;

class RequestHandlingTest {

    /** Each nanoTime reading advances 1.25 ms. */
    private static final long STEP = 1_250_000;

    private final CapturedLines out = new CapturedLines();
    private final RequestObserver observer = out.observer(STEP);

    @Test
    void answeringErrors_invalidRequest_answers400AndCountsTheReason() {
        APIGatewayProxyResponseEvent response = observer.observe(request("POST"), RequestHandling.answeringErrors((request, call) -> {
            throw new InvalidRequestException("invalid_event", "query parameter 'event' must be 'click' or 'impression'");
        }));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo("query parameter 'event' must be 'click' or 'impression'\n");
        assertThat(out.metrics()).containsExactly(CapturedLines.emf(MetricNames.REQUESTS_REJECTED, "Count", "Reason", "invalid_event", "1"));
        assertThat(out.requestLog().get("status").asInt()).isEqualTo(400);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:invalid_event");
    }

    @Test
    void answeringErrors_eventIdReusedInTheStore_answers422WithTheOneLineMessageAndCountsTheReason() {
        APIGatewayProxyResponseEvent response = observer.observe(request("POST"), RequestHandling.answeringErrors((request, call) -> {
            throw EventIdConflictException.nothingStored("e-1");
        }));

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/plain");
        assertThat(response.getBody())
                .isEqualTo("event_id 'e-1' was already used for a different event; send a new event_id for a new event\n");
        assertThat(out.metrics()).containsExactly(CapturedLines.emf(MetricNames.REQUESTS_REJECTED, "Count", "Reason", "event_id_conflict", "1"));
        assertThat(out.requestLog().get("status").asInt()).isEqualTo(422);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:event_id_conflict");
    }

    @Test
    void answeringErrors_unprocessableRequest_answers422() {
        APIGatewayProxyResponseEvent response = observer.observe(request("POST"), RequestHandling.answeringErrors((request, call) -> {
            throw InvalidRequestException.unprocessable("event_id_conflict", "line 2: event_id 'e' is also on line 1 for a different event");
        }));

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getBody()).isEqualTo("line 2: event_id 'e' is also on line 1 for a different event\n");
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:event_id_conflict");
    }

    @Test
    void answeringErrors_storeUnavailable_answers503AndCountsAStoreErrorWithItsLatency() {
        APIGatewayProxyResponseEvent response = observer.observe(request("GET"), RequestHandling.answeringErrors((request, call) ->
                call.store(StoreOperation.READ, () -> {
                    throw new StoreUnavailableException("counter read failed", null);
                })));
        StoreErrorCode other = StoreErrorCode.OTHER;

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(out.metrics()).containsExactly(
                CapturedLines.parse("{\"_aws\":{\"Timestamp\":1709288100000,\"CloudWatchMetrics\":[{\"Namespace\":\"HourlyAnalytics\","
                        + "\"Dimensions\":[[\"Operation\"],[\"Operation\",\"ErrorCode\"],[\"ErrorClass\"]],"
                        + "\"Metrics\":[{\"Name\":\"StoreErrors\",\"Unit\":\"Count\"}]}]},\"Operation\":\"read\","
                        + "\"ErrorCode\":\"" + other.dimensionValue() + "\",\"ErrorClass\":\"fault\",\"StoreErrors\":1}"),
                CapturedLines.emf(MetricNames.STORE_LATENCY, "Milliseconds", "Operation", "read", "1.25"));
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("store_unavailable");
        assertThat(out.requestLog().get("errorCode").asText()).isEqualTo("Other");
        assertThat(out.requestLog().get("status").asInt()).isEqualTo(503);
    }

    @Test
    void answeringErrors_namesTheCallersApiKeyIdButNeverItsValue() {
        var identity = new KeyedIdentity().withApiKeyId("key-id-7");
        identity.setApiKey("secret-key-value");
        APIGatewayProxyRequestEvent request = request("GET");
        request.getRequestContext().setIdentity(identity);

        observer.observe(request, RequestHandling.answeringErrors((r, call) -> HttpResponses.noContent()));

        assertThat(out.requestLog().get("apiKeyId").asText()).isEqualTo("key-id-7");
        assertThat(out.lines()).noneMatch(line -> line.contains("secret-key-value"));
    }

    @Test
    void answeringErrors_underTheDiscardingObserver_writesNothingButStillAnswers() {
        APIGatewayProxyResponseEvent response = RequestObserver.discarding().observe(request("POST"), RequestHandling.answeringErrors((request, call) -> {
            throw new InvalidRequestException("invalid_event", "bad");
        }));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(out.lines()).isEmpty();
    }

    private static APIGatewayProxyRequestEvent request(String method) {
        return new APIGatewayProxyRequestEvent().withResource("/analytics").withHttpMethod(method)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-1"));
    }
}
