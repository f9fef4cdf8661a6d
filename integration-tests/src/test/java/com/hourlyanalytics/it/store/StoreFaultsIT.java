package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Every store call of the POST and batch paths, failed at its exact point on a real dynalite that keeps its data:
 * before the call reaches the store (the store dies), and after the store applied it but the answer was lost (the
 * store freezes with the request on the wire; the SDK gives up at its attempt timeout; the store applies it on
 * resume). The partner then resends what got no 204, with its event ids: the counts are exact, no user lost, no
 * event twice, because each transaction is all or nothing and an event id counts once.
 */
class StoreFaultsIT {

    private static final long H = 1709287200000L;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Partner PARTNER = new Partner("k1");

    /** What a partner sends, and the exact counts of hour H once it was counted once. */
    private enum Sent {
        NEW_USER_WITH_ID(HourCounts.EMPTY, new HourCounts(1, 1, 0)),
        REPEAT_USER_WITH_ID(new HourCounts(1, 1, 0), new HourCounts(1, 2, 0)),
        BATCH_WITH_IDS(new HourCounts(1, 1, 0), new HourCounts(3, 3, 2));

        final HourCounts before;
        final HourCounts after;

        Sent(HourCounts before, HourCounts after) {
            this.before = before;
            this.after = after;
        }
    }

    @TempDir
    Path data;
    private DynaliteProcess dynalite;
    private DynamoDbClient client;
    private DynamoDbCounterStore store;
    private IngestHandler ingest;

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of(Sent.NEW_USER_WITH_ID, TransactWriteItemsRequest.class),
                Arguments.of(Sent.REPEAT_USER_WITH_ID, TransactWriteItemsRequest.class),
                Arguments.of(Sent.BATCH_WITH_IDS, BatchGetItemRequest.class),
                Arguments.of(Sent.BATCH_WITH_IDS, TransactWriteItemsRequest.class));
    }

    @ParameterizedTest(name = "{0}: {1} never reached the store")
    @MethodSource("faults")
    void storeDeadBeforeTheCall_503_thenTheResendCountsExactlyOnce(Sent sent, Class<? extends SdkRequest> call) {
        FaultInjector injector = start(call, FaultInjector.Point.BEFORE_CALL, () -> dynalite.kill());
        countBefore(sent);

        injector.arm();
        assertThat(send(sent)).isEqualTo(503);
        dynalite.restart();

        assertThat(send(sent)).isEqualTo(204);
        assertThat(counts()).isEqualTo(sent.after);
        assertThat(send(sent)).as("a second resend").isEqualTo(204);
        assertThat(counts()).isEqualTo(sent.after);
    }

    @ParameterizedTest(name = "{0}: {1} applied, its answer lost")
    @MethodSource("faults")
    void appliedButTheAnswerLost_503_thenTheResendCountsExactlyOnce(Sent sent, Class<? extends SdkRequest> call)
            throws InterruptedException {
        FaultInjector injector = start(call, FaultInjector.Point.BEFORE_TRANSMISSION, () -> dynalite.pause());
        countBefore(sent);

        injector.arm();
        assertThat(send(sent)).isEqualTo(503);
        dynalite.resume();
        settle();

        assertThat(send(sent)).isEqualTo(204);
        assertThat(counts()).isEqualTo(sent.after);
    }

    private FaultInjector start(Class<? extends SdkRequest> call, FaultInjector.Point point, Runnable fault) {
        dynalite = Emulator.start(data);
        FaultInjector injector = new FaultInjector(call, point, fault);
        client = Emulator.client(dynalite, injector);
        store = TestStores.firstRelease(client, Emulator.newTable(client));
        ingest = new IngestHandler(store, Clock.systemUTC());
        return injector;
    }

    @AfterEach
    void stop() {
        client.close();
        dynalite.close();
    }

    /** What the partner counted before: user u with one click (id e0), so u is a known user. */
    private void countBefore(Sent sent) {
        if (!sent.before.equals(HourCounts.EMPTY)) {
            assertThat(post("u", "click", "e0")).isEqualTo(204);
        }
        assertThat(counts()).isEqualTo(sent.before);
    }

    private int send(Sent sent) {
        return switch (sent) {
            case NEW_USER_WITH_ID, REPEAT_USER_WITH_ID -> post("u", "click", "e1");
            // A known user's event and two new users' (every line with an id), and a new user in another hour.
            case BATCH_WITH_IDS -> batch(String.join("\n", line(H + 2, "u", "impression", "b1"), line(H + 3, "v", "click", "b2"),
                    line(H + 4, "v", "impression", "b3"), line(H + 5, "w", "click", "b4"), line(H + 3_600_000, "x", "click", "b5")));
        };
    }

    private static String line(long at, String user, String event, String eventId) {
        return at + "," + user + "," + event + "," + eventId;
    }

    private int post(String user, String event, String eventId) {
        return ingest.handle(withKey(ApiEvents.request("POST", "timestamp", Long.toString(H + 1), "user", user,
                "event", event, "event_id", eventId))).getStatusCode();
    }

    private int batch(String body) {
        return ingest.handle(withKey(ProxyRequests.event("POST", ProxyRequests.ANALYTICS_BATCH, Map.of()).withBody(body)))
                .getStatusCode();
    }

    private static APIGatewayProxyRequestEvent withKey(APIGatewayProxyRequestEvent event) {
        return event.withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withIdentity(new KeyedIdentity().withApiKeyId(PARTNER.id())));
    }

    private HourCounts counts() {
        return store.countsFor(PARTNER, Hour.containing(H));
    }

    /** The resumed store drains what it had buffered: wait until two reads agree, within a no-hang bound. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        HourCounts previous = null;
        HourCounts seen = counts();
        while (!seen.equals(previous) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            previous = seen;
            seen = counts();
        }
    }
}
