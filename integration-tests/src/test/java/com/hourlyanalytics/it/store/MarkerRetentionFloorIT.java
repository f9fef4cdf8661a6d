package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MARKER_RETENTION_DAYS changed after markers were written: a marker keeps the expiry it was written with, so a
 * deployment with a longer retention (or 0, forever) must still refuse events older than the shortest retention
 * any writer used, or their users would count a second time once those markers expired.
 */
class MarkerRetentionFloorIT {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();

    private DynamoDbCounterStore store(long retentionDays) {
        StoreSettings settings = TestStores.settings(TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty()))
                .markerRetention(Duration.ofDays(retentionDays)).build();
        return new DynamoDbCounterStore(emulator.client(), settings, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void markerRetention_raisedAfterAShorterOneWrote_staysAtTheShorter() {
        assertThat(store(30).markerRetention()).isEqualTo(Duration.ofDays(30));

        assertThat(store(90).markerRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(store(0).markerRetention()).as("forever").isEqualTo(Duration.ofDays(30));
        assertThat(store(7).markerRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(store(30).markerRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void markerRetention_neverShortened_isTheSetting() {
        assertThat(store(0).markerRetention()).isEqualTo(Duration.ZERO);
        assertThat(store(45).markerRetention()).isEqualTo(Duration.ofDays(45));
    }

    @Test
    void post_olderThanTheFloorButInsideTheNewSetting_is400AndChangesNothing() {
        store(30).markerRetention();
        IngestHandler raised = new IngestHandler(store(90), Clock.fixed(NOW, ZoneOffset.UTC));
        long fortyDaysAgo = NOW.minus(Duration.ofDays(40)).toEpochMilli();
        emulator.sent().clear();

        var response = raised.handle(ApiEvents.request("POST", "timestamp", Long.toString(fortyDaysAgo), "user", "u", "event", "click"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo("query parameter 'timestamp' is in an hour that ended more than 30 days ago;"
                + " events that old can no longer be counted exactly\n");
        assertThat(emulator.sent().count()).as("only the floor's read").isEqualTo(2);
    }
}
