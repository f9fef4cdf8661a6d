package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.EventTooOldException;
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
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * MARKER_RETENTION_DAYS changed after markers were written: a marker keeps the expiry it was written with, so a
 * deployment with a longer retention (or 0, forever) must still refuse events older than the shortest retention
 * any writer used, or their users would count a second time once those markers expired.
 */
class MarkerRetentionFloorIT {

    private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
    private static final Partner PARTNER = new Partner("p1");

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();

    private DynamoDbCounterStore store(long retentionDays) {
        StoreSettings settings = TestStores.settings(TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty()))
                .markerRetention(Duration.ofDays(retentionDays)).build();
        return new DynamoDbCounterStore(emulator.client(), settings, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static AnalyticsEvent daysAgo(long days, String user) {
        return new AnalyticsEvent(NOW.minus(Duration.ofDays(days)).toEpochMilli(), user, EventType.CLICK);
    }

    @Test
    void record_retentionRaisedAfterAShorterOneWrote_refusesWhatIsOlderThanTheShorter() {
        store(30).record(PARTNER, daysAgo(1, "u"));

        for (long raised : new long[]{90, 0}) {
            assertThatThrownBy(() -> store(raised).record(PARTNER, daysAgo(40, "u"))).isInstanceOf(EventTooOldException.class)
                    .hasMessage("an event's timestamp is in an hour that ended more than 30 days ago;"
                            + " events that old can no longer be counted exactly");
            assertThat(store(raised).record(PARTNER, daysAgo(20, "v" + raised))).isTrue();
        }
        store(7).record(PARTNER, daysAgo(1, "w"));
        assertThatThrownBy(() -> store(30).record(PARTNER, daysAgo(20, "u"))).hasMessageContaining("more than 7 days ago");
    }

    @Test
    void record_retentionNeverShortened_acceptsWhatTheSettingAccepts() {
        assertThat(store(0).record(PARTNER, daysAgo(400, "u"))).isTrue();
        assertThat(store(45).record(PARTNER, daysAgo(40, "u"))).isTrue();
    }

    @Test
    void post_olderThanTheFloorButInsideTheNewSetting_is400AndWritesNothing() {
        store(30).record(PARTNER, daysAgo(1, "u"));
        IngestHandler raised = new IngestHandler(store(90), Clock.fixed(NOW, ZoneOffset.UTC));
        emulator.sent().clear();

        var response = raised.handle(ApiEvents.request("POST", "timestamp", Long.toString(daysAgo(40, "u").timestampMillis()),
                "user", "u", "event", "click"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).isEqualTo("an event's timestamp is in an hour that ended more than 30 days ago;"
                + " events that old can no longer be counted exactly\n");
        assertThat(emulator.sent().requests(TransactWriteItemsRequest.class)).isEmpty();
    }
}
