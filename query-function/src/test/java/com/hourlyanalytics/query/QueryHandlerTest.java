package com.hourlyanalytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.RecordingCounterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class QueryHandlerTest {

    private final RecordingCounterStore store = RecordingCounterStore.answering(true, new HourCounts(3, 2, 2));
    private final QueryHandler handler = new QueryHandler(store, Clock.systemUTC());

    @Test
    void handleRequest_eventFileJson_writesTheResponseJsonLambdaReturns() throws IOException {
        var response = new ByteArrayOutputStream();

        handler.handleRequest(Files.newInputStream(ApiEvents.repoRoot().resolve("events/get-hour.json")), response, null);

        assertThat(ProxyEventJson.readResponse(new ByteArrayInputStream(response.toByteArray())))
                .isEqualTo(handler.handle(ApiEvents.load("get-hour.json")));
        assertThat(response.toString(StandardCharsets.UTF_8)).contains("\"body\":\"unique_users,3\\nclicks,2\\nimpressions,2\\n\"");
    }

    @Test
    void get_hourEventFile_answersTheThreeLines() {
        APIGatewayProxyResponseEvent response = handler.handle(ApiEvents.load("get-hour.json"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/plain");
        assertThat(response.getBody()).isEqualTo("unique_users,3\nclicks,2\nimpressions,2\n");
        assertThat(store.read).containsExactly(Hour.containing(1709287200000L));
        assertThat(store.partners).as("the event's apiKeyId").containsExactly(new Partner("k1a2b3c4d5"));
    }

    @Test
    void get_lastMillisecondOfHour_readsThatHour() {
        handler.handle(ApiEvents.request("GET", "timestamp", Long.toString(1709287200000L + 3_599_999)));

        assertThat(store.read).containsExactly(Hour.containing(1709287200000L));
    }

    @Test
    void get_emptyTimestamp_answers400WithoutReading() {
        var response = handler.handle(ApiEvents.request("GET", "timestamp", ""));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo("query parameter 'timestamp' is empty\n");
        assertThat(store.calls()).isEmpty();
    }

    @Test
    void get_storeDown_answers503() {
        var response = new QueryHandler(RecordingCounterStore.unavailable(), Clock.systemUTC())
                .handle(ApiEvents.load("get-hour.json"));

        assertThat(response.getStatusCode()).isEqualTo(503);
    }

    @Test
    void post_reachingQueryFunction_answers405() {
        var response = handler.handle(ApiEvents.load("post-click.json"));

        assertThat(response.getStatusCode()).isEqualTo(405);
        assertThat(response.getHeaders()).containsEntry("Allow", "GET, POST");
    }
}
