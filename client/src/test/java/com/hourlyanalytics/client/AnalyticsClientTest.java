package com.hourlyanalytics.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted API: what it sends, what it sends again, and what it reports. Batches go out on
 * {@code flush} or {@code close} (linger is a day), and backoffs are a millisecond; nothing here measures time.
 */
class AnalyticsClientTest {

    private static final long T = 1_700_000_000_000L;
    private static final String UNAVAILABLE = "store unavailable, try again shortly\n";

    private final ScriptedApi api;
    private final Recorder recorder = new Recorder();

    AnalyticsClientTest() throws IOException {
        api = new ScriptedApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ClientSettings.Builder settings(URI endpoint) {
        return ClientSettings.builder(endpoint).linger(Duration.ofDays(1)).initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(1)).listener(recorder);
    }

    private static List<Event> events(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> Event.of(T + i, "user-" + i, EventType.CLICK, "id-" + i))
                .collect(Collectors.toList());
    }

    private static List<String> lines(List<Event> events) {
        return events.stream().map(Event::line).collect(Collectors.toList());
    }

    private AnalyticsClient sendAndFlush(ClientSettings settings, List<Event> events) throws InterruptedException {
        AnalyticsClient client = AnalyticsClient.start(settings);
        events.forEach(client::send);
        client.flush();
        return client;
    }

    @Test
    void send_503WithRetryAfter_resendsTheSameLinesWithTheSameIds_deliveredOnce() throws Exception {
        api.then(503, UNAVAILABLE, Map.of("Retry-After", "1"));
        List<Event> events = events(3);

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).build(), events);

        assertThat(api.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method).isEqualTo("POST");
            assertThat(request.target).isEqualTo("/prod/analytics/batch");
            assertThat(request.lines()).isEqualTo(lines(events));
        });
        assertThat(events.get(0).line()).isEqualTo((T + 1) + ",user-1,click,id-1");
        assertThat(recorder.delivered()).isEqualTo(events);
        assertThat(recorder.retried()).containsExactly(503);
        assertThat(client.stats().toString()).isEqualTo("delivered=3, rejected=0, dropped=0, retries=1, queued=0");
    }

    @Test
    void send_429And504_resentUntilDelivered() throws Exception {
        api.then(429, "too many requests for this API key, try again shortly\n", Map.of("Retry-After", "1"))
                .then(504, "Endpoint request timed out\n");

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).build(), events(2));

        assertThat(api.requests()).hasSize(3);
        assertThat(recorder.retried()).containsExactly(429, 504);
        assertThat(client.stats().delivered()).isEqualTo(2);
    }

    @Test
    void send_unansweredRequest_timesOut_andIsResent() throws Exception {
        api.thenNoAnswer();
        List<Event> events = events(2);

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).requestTimeout(Duration.ofMillis(300)).build(), events);

        assertThat(api.requests()).hasSize(2);
        assertThat(api.requests().get(1).lines()).isEqualTo(lines(events));
        assertThat(recorder.retried()).containsExactly(RetryPolicy.NO_ANSWER);
        assertThat(client.stats().delivered()).isEqualTo(2);
    }

    @Test
    void send_refusedConnections_resentUpToMaxAttempts_thenDropped() throws Exception {
        URI closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/analytics");
        }

        AnalyticsClient client = sendAndFlush(settings(closedPort).maxAttempts(3).build(), events(2));

        assertThat(recorder.retried()).containsExactly(RetryPolicy.NO_ANSWER, RetryPolicy.NO_ANSWER);
        assertThat(recorder.dropped()).containsExactly("id-1 GAVE_UP", "id-2 GAVE_UP");
        assertThat(client.stats().dropped()).isEqualTo(2);
    }

    @Test
    void send_always503_givesUpAfterMaxAttempts() throws Exception {
        api.then(503, UNAVAILABLE).then(503, UNAVAILABLE).then(503, UNAVAILABLE).then(503, UNAVAILABLE);

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).maxAttempts(3).build(), events(1));

        assertThat(api.requests()).hasSize(3);
        assertThat(recorder.dropped()).containsExactly("id-1 GAVE_UP");
        assertThat(recorder.delivered()).isEmpty();
        assertThat(client.stats().retries()).isEqualTo(2);
    }

    @Test
    void send_400NamingALine_rejectsThatEvent_sendsTheOthersAgainAtOnce() throws Exception {
        api.then(400, "line 2: user is blank\n");
        List<Event> events = events(3);

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).build(), events);

        assertThat(recorder.rejected()).containsExactly("id-2 400 user is blank");
        assertThat(api.requests()).hasSize(2);
        assertThat(api.requests().get(1).lines()).isEqualTo(lines(List.of(events.get(0), events.get(2))));
        assertThat(recorder.delivered()).containsExactly(events.get(0), events.get(2));
        assertThat(client.stats().retries()).as("a rejection is not a resend").isZero();
    }

    @Test
    void send_422ForAnIdStoredForAnotherEvent_rejectsTheEventsCarryingIt() throws Exception {
        api.then(422, "event_id 'id-3' was already used for a different event; send a new event_id for a new event\n");
        List<Event> events = events(3);

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).build(), events);

        assertThat(recorder.rejected()).containsExactly(
                "id-3 422 event_id 'id-3' was already used for a different event; send a new event_id for a new event");
        assertThat(api.requests().get(1).lines()).isEqualTo(lines(events.subList(0, 2)));
        assertThat(client.stats().delivered()).isEqualTo(2);
    }

    @Test
    void send_422ForAnIdStoredWhileTheBatchWasWritten_rejectsThatEvent_theOthersGoAgainWithTheirIds() throws Exception {
        api.then(422, "event_id 'id-1' was already used for a different event (stored by another request while this batch was "
                + "written): that line was not counted, every other line was; do not resend the batch\n");
        List<Event> events = events(3);

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).build(), events);

        assertThat(recorder.rejected()).hasSize(1).first().asString().startsWith("id-1 422 event_id 'id-1' was already used");
        assertThat(api.requests().get(1).lines()).isEqualTo(lines(events.subList(1, 3)));
        assertThat(client.stats().delivered()).isEqualTo(2);
    }

    @Test
    void send_403_rejectsTheWholeBatch_neverResent() throws Exception {
        api.then(403, "missing or invalid API key; send it in the x-api-key header\n");

        AnalyticsClient client = sendAndFlush(settings(api.endpoint()).apiKey("wrong").build(), events(2));

        assertThat(api.requests()).hasSize(1);
        assertThat(api.requests().get(0).apiKey).isEqualTo("wrong");
        assertThat(recorder.rejected()).containsExactly(
                "id-1 403 missing or invalid API key; send it in the x-api-key header",
                "id-2 403 missing or invalid API key; send it in the x-api-key header");
        assertThat(client.stats().rejected()).isEqualTo(2);
    }

    @Test
    void send_queueFull_refusesTheNewEvent_andReportsIt_closeTimedOut_dropsWhatItHeld() throws Exception {
        api.thenNoAnswer();
        List<Event> events = events(3);
        AnalyticsClient client = AnalyticsClient.start(settings(api.endpoint()).queueCapacity(1).maxBatchEvents(1).senders(1).build());

        assertThat(client.send(events.get(0))).isTrue();
        while (api.requests().isEmpty()) {
            Thread.sleep(5); // the sender has taken the first event; its request gets no answer
        }
        assertThat(client.send(events.get(1))).isTrue();
        assertThat(client.send(events.get(2))).isFalse();
        assertThat(recorder.dropped()).containsExactly("id-3 QUEUE_FULL");

        assertThat(client.close(Duration.ofMillis(100))).isFalse();
        assertThat(recorder.dropped()).containsExactlyInAnyOrder("id-3 QUEUE_FULL", "id-1 CLOSED", "id-2 CLOSED");
        assertThat(client.stats().dropped()).isEqualTo(3);
    }

    @Test
    void close_deliversWhatItHolds_thenRefusesEvents() throws Exception {
        List<Event> events = events(5);
        AnalyticsClient client = AnalyticsClient.start(settings(api.endpoint()).build());
        events.forEach(client::send);

        assertThat(client.close(Duration.ofSeconds(30))).isTrue();

        assertThat(api.requests()).hasSize(1);
        assertThat(recorder.delivered()).isEqualTo(events);
        assertThat(client.send(Event.of(T, "late", EventType.CLICK))).isFalse();
        assertThat(recorder.dropped()).hasSize(1).allMatch(line -> line.endsWith(" CLOSED"));
    }

    @Test
    void send_fromManyThreads_everyEventInExactlyOneDeliveredRequest() throws Exception {
        AnalyticsClient client = AnalyticsClient.start(settings(api.endpoint()).maxBatchEvents(50).senders(4).queueCapacity(100)
                .enqueueTimeout(Duration.ofMinutes(1)).build());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(new Thread(() -> IntStream.range(0, 500)
                    .forEach(i -> client.send(Event.of(T + i, "u" + thread, EventType.IMPRESSION, "t" + thread + "-" + i)))));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(client.close(Duration.ofSeconds(30))).isTrue();

        List<String> sent = api.requests().stream().flatMap(r -> r.lines().stream()).collect(Collectors.toList());
        assertThat(sent).hasSize(4_000).doesNotHaveDuplicates();
        assertThat(api.requests()).allSatisfy(r -> assertThat(r.lines()).hasSizeLessThanOrEqualTo(50));
        assertThat(client.stats().delivered()).isEqualTo(4_000);
    }

    @Test
    void counts_readsTheHour_resendingA503() throws Exception {
        api.then(503, UNAVAILABLE, Map.of("Retry-After", "1")).then(200, "unique_users,2\nclicks,3\nimpressions,1\n");
        AnalyticsClient client = AnalyticsClient.start(settings(api.endpoint()).apiKey("key-1").build());

        assertThat(client.counts(T)).isEqualTo(new HourCounts(2, 3, 1));
        assertThat(api.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.target).isEqualTo("/prod/analytics?timestamp=" + T);
            assertThat(request.apiKey).isEqualTo("key-1");
        });
    }

    @Test
    void counts_refused_throwsWithTheAnswer() throws Exception {
        api.then(400, "query parameter 'timestamp' is out of range (0 to 253402300799999)\n");
        AnalyticsClient client = AnalyticsClient.start(settings(api.endpoint()).build());

        assertThatThrownBy(() -> client.counts(T)).isInstanceOf(AnalyticsException.class)
                .hasMessageEndingWith("400 query parameter 'timestamp' is out of range (0 to 253402300799999)")
                .satisfies(e -> assertThat(((AnalyticsException) e).status()).isEqualTo(400));
    }
}
