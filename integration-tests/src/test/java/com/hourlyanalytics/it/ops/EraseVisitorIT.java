package com.hourlyanalytics.it.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.ops.EraseVisitor;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.SettableClock;
import com.hourlyanalytics.testing.TestStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** ./erase-visitor's command against a real dynalite, as an operator runs it: one visitor of one partner, and no one else. */
class EraseVisitorIT {

    private static final Instant NOW = Instant.parse("2026-12-05T12:20:00Z");
    private static final Hour HOUR = Hour.containing(NOW);
    private static final Partner PARTNER = new Partner("p1");
    private static final String ALICE = "alice@example.com";

    private static DynaliteProcess dynalite;
    private static DynamoDbClient client;
    private final SettableClock clock = new SettableClock(NOW);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String table;
    private DynamoDbCounterStore store;

    @BeforeAll
    static void startEmulator() {
        dynalite = Emulator.start();
        client = Emulator.client(dynalite);
    }

    @AfterAll
    static void stopEmulator() {
        client.close();
        dynalite.close();
    }

    @BeforeEach
    void newTable() {
        table = Emulator.newTable(client);
        store = new DynamoDbCounterStore(client, TestStores.settings(Emulator.settings(dynalite, table))
                .markerRetention(Duration.ofDays(35)).build(), clock);
    }

    private int erase(String... args) {
        Map<String, String> environment = Map.of(StoreSettings.TABLE_NAME, table,
                StoreSettings.DYNAMODB_ENDPOINT, dynalite.endpoint().toString(), StoreSettings.MARKER_RETENTION_DAYS, "35");
        return EraseVisitor.run(List.of(args), environment, clock, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static AnalyticsEvent click(Hour hour, String user, String eventId) {
        return new AnalyticsEvent(hour.startMillis() + 60_000, user, EventType.CLICK, eventId);
    }

    @Test
    void erase_oneVisitor_deletesTheirMarkersAndEventIdsInTheWindow_andNothingElse() {
        List<Hour> hours = List.of(HOUR.plus(-24 * 34), HOUR.plus(-1), HOUR, HOUR.plus(1));
        for (Hour hour : hours) {
            store.record(PARTNER, click(hour, ALICE, "a" + hour.index()));
            store.record(PARTNER, click(hour, "bob", "b" + hour.index()));
            store.record(Partner.DEFAULT, click(hour, ALICE, "a" + hour.index()));
        }
        Map<String, Map<String, AttributeValue>> before = items();

        assertThat(erase("--partner", "p1", "--user", ALICE)).as(err.toString()).isZero();

        Map<String, Map<String, AttributeValue>> gone = new HashMap<>(before);
        gone.keySet().removeAll(items().keySet());
        List<String> expected = new ArrayList<>();
        hours.forEach(hour -> {
            expected.add(TestStores.markerKey(PARTNER, hour, ALICE));
            expected.add(TableLayout.eventIdKey(PARTNER, "a" + hour.index()));
        });
        assertThat(gone.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(out.toString()).startsWith("partner p1: erased 4 marker(s) in ").contains("and 4 event id(s)").doesNotContain(ALICE);
        // Counts hold no one's id: erasing changes none.
        hours.forEach(hour -> assertThat(store.countsFor(PARTNER, hour)).isEqualTo(new HourCounts(2, 2, 0)));
    }

    @Test
    void erase_upgradedTable_deletesTheClearMarkersOfHoursCountedBeforePseudonyms() {
        Hour before = HOUR.plus(-5);
        client.putItem(b -> b.tableName(table).item(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.clearMarkerKey(PARTNER, before, ALICE)))));
        store.record(PARTNER, click(HOUR.plus(-4), ALICE, null));
        clock.advance(Duration.ofHours(3));
        store.record(PARTNER, click(HOUR.plus(3), ALICE, null));

        assertThat(erase("--partner", "p1", "--user", ALICE, "--skip-event-ids")).as(err.toString()).isZero();

        assertThat(items().keySet()).noneMatch(key -> key.contains(ALICE))
                .doesNotContain(TestStores.markerKey(PARTNER, HOUR.plus(3), ALICE));
        assertThat(out.toString()).contains("erased 3 marker(s)").contains("no event ids (skipped)");
    }

    @Test
    void erase_badArguments_sayWhatIsWrongAndChangeNothing() {
        store.record(PARTNER, click(HOUR, ALICE, null));
        Map<String, Map<String, AttributeValue>> before = items();

        assertThat(erase("--user", ALICE)).isEqualTo(2);
        assertThat(erase("--partner", "p1", "--user", ALICE, "--from", "yesterday")).isEqualTo(2);

        assertThat(err.toString()).contains("usage: ./erase-visitor --partner ID --user ID")
                .contains("yesterday is not an instant like 2026-11-01T00:00:00Z");
        assertThat(items()).isEqualTo(before);
    }

    private Map<String, Map<String, AttributeValue>> items() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        client.scanPaginator(b -> b.tableName(table)).items().forEach(item -> items.put(item.get(TableLayout.KEY).s(), item));
        return items;
    }
}
