package com.hourlyanalytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.observability.CapturedLines;
import com.hourlyanalytics.observability.MetricNames;
import com.hourlyanalytics.snapstart.SnapStartPriming;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.RecordingCounterStore;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestHandlerObservabilityTest {

    private static final String USER = "partner-user-8f2e";
    private static final String API_KEY = "key-4c1d9e7a";

    private final CapturedLines out = new CapturedLines();

    @Test
    void post_click_logsTheRequestWithoutUserIdQueryOrApiKey() {
        var store = RecordingCounterStore.answering(true, HourCounts.EMPTY);

        APIGatewayProxyResponseEvent response = handler(store).handle(withUserAndKey("post-click.json"));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(store.calls()).containsExactly("record");
        assertThat(out.requestLog().get("route").asText()).isEqualTo("/analytics");
        assertThat(out.requestLog().get("method").asText()).isEqualTo("POST");
        assertThat(out.requestLog().get("status").asInt()).isEqualTo(204);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("accepted");
        assertThat(out.requestLog().get("requestId").asText()).isEqualTo("c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
        assertThat(out.metrics()).extracting(line -> line.fieldNames().next() + "," + lastFieldName(line))
                .containsExactly("_aws,StoreLatency", "_aws,EventsAccepted", "_aws,NewUniqueUsers");
        assertThat(String.join("\n", out.lines()))
                .doesNotContain(USER, API_KEY, "1709287200001", "203.0.113.10", "curl/", "x-api-key");
    }

    @Test
    void post_repeatUser_countsTheEventButNoNewUser() {
        handler(RecordingCounterStore.answering(false, HourCounts.EMPTY)).handle(ApiEvents.load("post-click.json"));

        assertThat(out.metrics()).extracting(line -> lastFieldName(line))
                .containsExactly(MetricNames.STORE_LATENCY, MetricNames.EVENTS_ACCEPTED);
    }

    @Test
    void post_badEvent_logsTheRejectionReasonAndNeverCallsTheStore() {
        var store = RecordingCounterStore.answering(true, HourCounts.EMPTY);

        APIGatewayProxyResponseEvent response = handler(store).handle(ApiEvents.load("post-bad-event.json"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(store.calls()).isEmpty();
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:invalid_event");
        assertThat(out.metrics()).singleElement()
                .satisfies(line -> assertThat(line.get(MetricNames.REASON).asText()).isEqualTo("invalid_event"));
    }

    @Test
    void post_storeDown_answers503AndCountsARecordError() {
        APIGatewayProxyResponseEvent response = handler(RecordingCounterStore.unavailable())
                .handle(ApiEvents.load("post-click.json"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("store_unavailable");
        assertThat(out.metrics().get(0).get(MetricNames.STORE_ERRORS).asInt()).isEqualTo(1);
        assertThat(out.metrics().get(0).get(MetricNames.OPERATION).asText()).isEqualTo("record");
    }

    @Test
    void get_onIngest_logsMethodNotAllowed() {
        handler(RecordingCounterStore.answering(true, HourCounts.EMPTY)).handle(ApiEvents.load("get-hour.json"));

        assertThat(out.requestLog().get("status").asInt()).isEqualTo(405);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void postBatch_writesOneMetricValuePerEventTypeWhateverTheBatchSize() {
        var store = RecordingCounterStore.answering(true, HourCounts.EMPTY);
        String body = "1709287200001,u1,click\n1709287200002,u2,click\n1709287200003,u3,impression\n";
        var request = new APIGatewayProxyRequestEvent().withResource("/analytics/batch").withPath("/analytics/batch")
                .withHttpMethod("POST").withBody(body);

        APIGatewayProxyResponseEvent response = handler(store).handle(request);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(store.calls()).containsExactly("recordBatch");
        assertThat(out.metrics()).extracting(line -> lastFieldName(line) + "=" + line.get(lastFieldName(line)))
                .containsExactly("StoreLatency=1.0", "EventsAccepted=2", "EventsAccepted=1", "NewUniqueUsers=3");
        assertThat(out.metrics().get(0).get(MetricNames.OPERATION).asText()).isEqualTo("recordBatch");
    }

    @Test
    void beforeCheckpoint_primesTheWritePathWithoutRecordingOrLogging() {
        var store = RecordingCounterStore.answering(true, HourCounts.EMPTY);

        handler(store).beforeCheckpoint(null);

        assertThat(store.calls()).containsExactly("primeRecord");
        assertThat(out.lines()).isEmpty();
    }

    @Test
    void primingRequest_failsValidationBeforeAnyStoreCall() {
        var store = RecordingCounterStore.answering(true, HourCounts.EMPTY);

        APIGatewayProxyResponseEvent response = handler(store, PartnerKeys.CLOSED)
                .handle(SnapStartPriming.rejectedPost(CapturedLines.NOW.toEpochMilli()));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:invalid_event");
        assertThat(store.calls()).isEmpty();
    }

    /** Deployed, the functions refuse a request API Gateway did not key: a direct invoke, a route without a key. */
    @Test
    void postAndBatch_withoutApiKeyId_whenClosed_are403_loggedAndCountedWithoutTheKeyValue_andNeverReachTheStore() {
        var store = RecordingCounterStore.answering(true, HourCounts.EMPTY);
        APIGatewayProxyRequestEvent single = ApiEvents.load("post-click.json");
        ((KeyedIdentity) single.getRequestContext().getIdentity()).withApiKeyId(null).setApiKey(API_KEY);
        var batch = new APIGatewayProxyRequestEvent().withResource("/analytics/batch").withPath("/analytics/batch")
                .withHttpMethod("POST").withBody("1709287200001,u1,click\n");

        for (APIGatewayProxyRequestEvent request : List.of(single, batch)) {
            APIGatewayProxyResponseEvent response = handler(store, PartnerKeys.CLOSED).handle(request);

            assertThat(response.getStatusCode()).isEqualTo(403);
            assertThat(response.getBody()).isEqualTo(
                    "request has no API key id (requestContext.identity.apiKeyId); call the API with an x-api-key header\n");
        }
        assertThat(store.calls()).isEmpty();
        assertThat(out.parsed().stream().filter(line -> !line.has("_aws")).toList()).extracting(line -> line.get("status").asInt() + " " + line.get("outcome").asText())
                .containsExactly("403 rejected:missing_api_key_id", "403 rejected:missing_api_key_id");
        assertThat(out.metrics()).hasSize(2).allSatisfy(line -> {
            assertThat(line.get(MetricNames.REQUESTS_REJECTED).asInt()).isEqualTo(1);
            assertThat(line.get(MetricNames.REASON).asText()).isEqualTo("missing_api_key_id");
        });
        assertThat(String.join("\n", out.lines())).doesNotContain(API_KEY);
    }

    private IngestHandler handler(RecordingCounterStore store) {
        return handler(store, PartnerKeys.OPEN);
    }

    private IngestHandler handler(RecordingCounterStore store, PartnerKeys partners) {
        return new IngestHandler(store, partners, Clock.fixed(CapturedLines.NOW, ZoneOffset.UTC), out.observer(1_000_000));
    }

    private static APIGatewayProxyRequestEvent withUserAndKey(String file) {
        APIGatewayProxyRequestEvent event = ApiEvents.load(file);
        var single = new HashMap<>(event.getQueryStringParameters());
        single.put("user", USER);
        var multi = new HashMap<>(event.getMultiValueQueryStringParameters());
        multi.put("user", List.of(USER));
        var headers = new HashMap<>(event.getHeaders());
        headers.put("x-api-key", API_KEY);
        return event.withQueryStringParameters(single).withMultiValueQueryStringParameters(multi)
                .withHeaders(headers).withMultiValueHeaders(Map.of("x-api-key", List.of(API_KEY)));
    }

    private static String lastFieldName(com.fasterxml.jackson.databind.JsonNode line) {
        String last = null;
        for (var names = line.fieldNames(); names.hasNext(); ) {
            last = names.next();
        }
        return last;
    }
}
