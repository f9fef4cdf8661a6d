package com.hourlyanalytics.query;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;

class QueryHandlerObservabilityTest {

    private final CapturedLines out = new CapturedLines();

    @Test
    void get_hour_logsOkAndTheReadLatency() {
        var store = RecordingCounterStore.answering(false, new HourCounts(1, 2, 3));

        APIGatewayProxyResponseEvent response = handler(store).handle(ApiEvents.load("get-hour.json"));

        assertThat(response.getBody()).isEqualTo("unique_users,1\nclicks,2\nimpressions,3\n");
        assertThat(out.requestLog().get("method").asText()).isEqualTo("GET");
        assertThat(out.requestLog().get("status").asInt()).isEqualTo(200);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("ok");
        assertThat(out.requestLog().get("latencyMs").asDouble()).isEqualTo(3.0);
        assertThat(out.metrics()).singleElement().satisfies(line -> {
            assertThat(line.get(MetricNames.OPERATION).asText()).isEqualTo("read");
            assertThat(line.get(MetricNames.STORE_LATENCY).asDouble()).isEqualTo(1.0);
        });
    }

    @Test
    void get_storeDown_answers503AndCountsAReadError() {
        APIGatewayProxyResponseEvent response = handler(RecordingCounterStore.unavailable())
                .handle(ApiEvents.load("get-hour.json"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(out.metrics().get(0).get(MetricNames.STORE_ERRORS).asInt()).isEqualTo(1);
        assertThat(out.metrics().get(0).get(MetricNames.OPERATION).asText()).isEqualTo("read");
    }

    @Test
    void post_onQuery_logsMethodNotAllowed() {
        handler(RecordingCounterStore.answering(false, HourCounts.EMPTY)).handle(ApiEvents.load("post-click.json"));

        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("method_not_allowed");
    }

    @Test
    void beforeCheckpoint_primesTheReadPathOnlyAndLogsNothing() {
        var store = RecordingCounterStore.answering(false, HourCounts.EMPTY);

        handler(store).beforeCheckpoint(null);

        assertThat(store.calls()).containsExactly("primeRead");
        assertThat(out.lines()).isEmpty();
    }

    @Test
    void primingRequest_failsValidationBeforeAnyStoreCall() {
        var store = RecordingCounterStore.answering(false, HourCounts.EMPTY);

        APIGatewayProxyResponseEvent response = handler(store, PartnerKeys.CLOSED).handle(SnapStartPriming.rejectedGet());

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:invalid_timestamp");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void get_withoutApiKeyId_whenClosed_is403_loggedAndCounted_andNeverReadsTheStore() {
        var store = RecordingCounterStore.answering(false, HourCounts.EMPTY);
        var request = ApiEvents.load("get-hour.json");
        ((KeyedIdentity) request.getRequestContext().getIdentity()).setApiKeyId(null);

        APIGatewayProxyResponseEvent response = handler(store, PartnerKeys.CLOSED).handle(request);

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getBody()).startsWith("request has no API key id");
        assertThat(store.calls()).isEmpty();
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("rejected:missing_api_key_id");
        assertThat(out.metrics()).singleElement()
                .satisfies(line -> assertThat(line.get(MetricNames.REASON).asText()).isEqualTo("missing_api_key_id"));
    }

    private QueryHandler handler(RecordingCounterStore store) {
        return handler(store, PartnerKeys.OPEN);
    }

    private QueryHandler handler(RecordingCounterStore store, PartnerKeys partners) {
        return new QueryHandler(store, partners, Clock.fixed(CapturedLines.NOW, ZoneOffset.UTC), out.observer(1_000_000));
    }
}
