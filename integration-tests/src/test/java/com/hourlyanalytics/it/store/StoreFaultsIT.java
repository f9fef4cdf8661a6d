package com.hourlyanalytics.it.store;

import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.TestStores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What a POST that answered 503 may have counted. Ingest is a conditional marker put, then an ADD on the
 * counter; the SDK retries only calls that surely did not reach the store. So a 503'd POST has
 * (a) changed nothing, (b) written only the marker, or (c) been fully applied when the counter update's
 * answer was lost. Each case is forced here at the exact store call, on a real dynalite that keeps its data.
 */
class StoreFaultsIT {

    private static final long H = 1709287200000L;
    private static final Duration SETTLE = Duration.ofSeconds(10);

    @TempDir
    Path data;
    private DynaliteProcess dynalite;
    private DynamoDbClient client;
    private DynamoDbCounterStore store;
    private IngestHandler ingest;

    private FaultInjector injectAt(Class<? extends SdkRequest> call, FaultInjector.Point point, Runnable fault) {
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

    private int post(String user, String event) {
        return ingest.handle(ApiEvents.request("POST", "timestamp", Long.toString(H + 1), "user", user, "event", event))
                .getStatusCode();
    }

    private HourCounts counts() {
        return store.countsFor(Partner.DEFAULT, Hour.containing(H));
    }

    @Test
    void post503_storeDeadBeforeMarkerPut_changedNothing_retryCountsOnce() {
        injectAt(PutItemRequest.class, FaultInjector.Point.BEFORE_CALL, () -> dynalite.kill()).arm();

        assertThat(post("u", "click")).isEqualTo(503);
        dynalite.restart();
        assertThat(counts()).isEqualTo(new HourCounts(0, 0, 0));

        assertThat(post("u", "click")).isEqualTo(204);
        assertThat(counts()).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void post503_storeDeadBeforeCounterUpdate_wroteOnlyTheMarker_retryCountsEventButNotUser() {
        injectAt(UpdateItemRequest.class, FaultInjector.Point.BEFORE_CALL, () -> dynalite.kill()).arm();

        assertThat(post("u", "click")).isEqualTo(503);
        dynalite.restart();
        assertThat(counts()).isEqualTo(new HourCounts(0, 0, 0));

        assertThat(post("u", "click")).isEqualTo(204);
        // The marker from the failed attempt says "already counted": unique_users stays one low for good.
        assertThat(counts()).isEqualTo(new HourCounts(0, 1, 0));
    }

    @Test
    void post503_counterUpdateAnswerLost_wasFullyApplied_retryCountsEventTwice() throws InterruptedException {
        // Frozen with the update on its way: the SDK gives up after its attempt timeout, the store applies it on resume.
        injectAt(UpdateItemRequest.class, FaultInjector.Point.BEFORE_TRANSMISSION, () -> dynalite.pause()).arm();

        assertThat(post("u", "click")).isEqualTo(503);
        dynalite.resume();
        assertThat(awaitCounts(new HourCounts(1, 1, 0))).isEqualTo(new HourCounts(1, 1, 0));

        assertThat(post("u", "click")).isEqualTo(204);
        assertThat(counts()).isEqualTo(new HourCounts(1, 2, 0));
    }

    /** The resumed store drains what it had buffered in its own order: poll, within a no-hang bound. */
    private HourCounts awaitCounts(HourCounts expected) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        HourCounts seen = counts();
        while (!seen.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = counts();
        }
        return seen;
    }
}
