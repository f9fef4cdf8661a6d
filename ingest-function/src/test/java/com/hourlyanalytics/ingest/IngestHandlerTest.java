package com.hourlyanalytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.testing.RecordingCounterStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestHandlerTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2024-03-01T10:30:00Z"), ZoneOffset.UTC);
    private final RecordingCounterStore store = RecordingCounterStore.answering(true, HourCounts.EMPTY);
    private final IngestHandler handler = new IngestHandler(store, NOW);

    @Test
    void handleRequest_eventFileJson_writesTheResponseJsonLambdaReturns() throws IOException {
        var response = new ByteArrayOutputStream();

        handler.handleRequest(Files.newInputStream(ApiEvents.repoRoot().resolve("events/post-click.json")), response, null);

        assertThat(response.toString(StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":204,\"headers\":{}}");
        assertThat(store.recorded).containsExactly(new AnalyticsEvent(1709287200001L, "u1", EventType.CLICK));
    }

    @Test
    void post_clickEventFile_answers204AndRecordsTheEvent() {
        APIGatewayProxyResponseEvent response = handler.handle(ApiEvents.load("post-click.json"));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(store.recorded).containsExactly(new AnalyticsEvent(1709287200001L, "u1", EventType.CLICK));
        assertThat(store.partners).as("the event's apiKeyId").containsExactly(new Partner("k1a2b3c4d5"));
    }

    @Test
    void post_keyMappedToAnotherPartner_recordsForThatPartner() {
        var mapped = new IngestHandler(store, PartnerKeys.parse("k1a2b3c4d5=acme"), NOW, RequestObserver.toStdout(NOW));

        assertThat(mapped.handle(ApiEvents.load("post-click.json")).getStatusCode()).isEqualTo(204);
        assertThat(store.partners).containsExactly(new Partner("acme"));
    }

    @Test
    void post_impressionEventFile_recordsAnImpression() {
        handler.handle(ApiEvents.load("post-impression.json"));

        assertThat(store.recorded).extracting(AnalyticsEvent::type).containsExactly(EventType.IMPRESSION);
    }

    @Test
    void post_badEventFile_answers400AndTouchesNothing() {
        APIGatewayProxyResponseEvent response = handler.handle(ApiEvents.load("post-bad-event.json"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/plain");
        assertThat(response.getBody()).isEqualTo("query parameter 'event' must be 'click' or 'impression'\n");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void post_repeatedTimestampInMultiValueMap_answers400() {
        var request = ApiEvents.request("POST", "timestamp", "1", "timestamp", "2", "user", "u", "event", "click");

        assertThat(handler.handle(request).getBody()).isEqualTo("query parameter 'timestamp' is repeated; send it once\n");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void post_withEventId_recordsTheEventWithIt() {
        var request = ApiEvents.request("POST", "timestamp", "1709287200001", "user", "u1", "event", "click", "event_id", "e-1");

        assertThat(handler.handle(request).getStatusCode()).isEqualTo(204);
        assertThat(store.recorded).containsExactly(new AnalyticsEvent(1709287200001L, "u1", EventType.CLICK, "e-1"));
    }

    @Test
    void postBatch_oneEventIdForTwoEvents_answers422WithOneLineAndTouchesNothing() {
        var request = ProxyRequests.event("POST", ProxyRequests.ANALYTICS_BATCH, Map.of())
                .withBody("1709287200001,u1,click,e-1\n1709287200002,u2,click\n1709287200003,u1,click,e-1\n");

        APIGatewayProxyResponseEvent response = handler.handle(request);

        assertThat(response.getStatusCode()).isEqualTo(422);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/plain");
        assertThat(response.getBody()).isEqualTo(
                "line 3: event_id 'e-1' is also on line 1 for a different event; send a new event_id for a new event\n");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void postBatch_answerIsDueWhenApiGatewayStopsWaiting_29sAfterItReceivedTheRequest() {
        var received = ProxyRequests.event("POST", ProxyRequests.ANALYTICS_BATCH, Map.of())
                .withBody("1709287200001,u1,click\n")
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestTimeEpoch(1709289000000L));
        var unstamped = ProxyRequests.event("POST", ProxyRequests.ANALYTICS_BATCH, Map.of()).withBody("1709287200001,u1,click\n");

        handler.handle(received);
        handler.handle(unstamped);

        assertThat(store.answerBy).containsExactly(1709289029000L, Long.MAX_VALUE);
    }

    @Test
    void post_storeDown_answers503WithoutDetails() {
        var response = new IngestHandler(RecordingCounterStore.unavailable(), NOW)
                .handle(ApiEvents.load("post-click.json"));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(response.getBody()).isEqualTo("store unavailable, try again shortly\n");
    }

    @Test
    void put_onAnalytics_answers405WithAllow() {
        var response = handler.handle(ApiEvents.request("PUT", "timestamp", "1"));

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET, POST");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void post_unknownResource_answers404() {
        var request = ApiEvents.load("post-click.json").withResource("/elsewhere").withPath("/elsewhere");

        assertThat(handler.handle(request).getStatusCode()).isEqualTo(404);
        assertThat(store.calls()).isEmpty();
    }

    /** Every container restored from one SnapStart snapshot would otherwise pick the same shard sequence. */
    @Test
    void afterRestore_renewsTheStoresEntropy() {
        handler.afterRestore(null);

        assertThat(store.calls()).containsExactly("renewAfterRestore");
    }
}
