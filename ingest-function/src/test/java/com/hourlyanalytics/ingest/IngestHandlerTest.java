package com.hourlyanalytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.testing.RecordingCounterStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IngestHandlerTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2024-03-01T10:30:00Z"), ZoneOffset.UTC);
    private final RecordingCounterStore store = RecordingCounterStore.answering(true, HourCounts.EMPTY);
    private final IngestHandler handler = new IngestHandler(store, NOW);

    @Test
    void post_clickEventFile_answers204AndRecordsTheEvent() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.load("post-click.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(response.getBody()).isNull();
        assertThat(store.recorded).containsExactly(new AnalyticsEvent(1709287200001L, "u1", EventType.CLICK));
    }

    @Test
    void post_impressionEventFile_recordsAnImpression() {
        handler.handleRequest(ApiEvents.load("post-impression.json"), null);

        assertThat(store.recorded).extracting(AnalyticsEvent::type).containsExactly(EventType.IMPRESSION);
    }

    @Test
    void post_badEventFile_answers400AndTouchesNothing() {
        APIGatewayProxyResponseEvent response = handler.handleRequest(ApiEvents.load("post-bad-event.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/plain");
        assertThat(response.getBody()).isEqualTo("query parameter 'event' must be 'click' or 'impression'\n");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void post_repeatedTimestampInMultiValueMap_answers400() {
        var request = ApiEvents.request("POST", "timestamp", "1", "timestamp", "2", "user", "u", "event", "click");

        assertThat(handler.handleRequest(request, null).getBody()).isEqualTo("query parameter 'timestamp' is repeated; send it once\n");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void post_storeDown_answers503WithoutDetails() {
        var response = new IngestHandler(RecordingCounterStore.unavailable(), NOW)
                .handleRequest(ApiEvents.load("post-click.json"), null);

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(response.getHeaders()).containsEntry("Retry-After", "1");
        assertThat(response.getBody()).isEqualTo("store unavailable, try again shortly\n");
    }

    @Test
    void put_onAnalytics_answers405WithAllow() {
        var response = handler.handleRequest(ApiEvents.request("PUT", "timestamp", "1"), null);

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET, POST");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void post_unknownResource_answers404() {
        var request = ApiEvents.load("post-click.json").withResource("/elsewhere").withPath("/elsewhere");

        assertThat(handler.handleRequest(request, null).getStatusCode()).isEqualTo(404);
        assertThat(store.calls()).isEmpty();
    }
}
