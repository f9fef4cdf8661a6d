package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.Pseudonyms;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.SettableClock;
import com.hourlyanalytics.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Visitors' ids are not kept: markers and event id items hold a keyed hash of (partner, user id). A stack upgraded
 * from clear ids, and a rotated key, count each user once in the hours they straddle: each hour keeps the naming it
 * was counted with.
 */
class PseudonymsStoreIT {

    private static final Instant NOW = Instant.parse("2026-12-05T12:20:00Z");
    private static final Hour HOUR = Hour.containing(NOW);
    private static final Partner PARTNER = new Partner("p1");
    private static final Pseudonyms K1 = new Pseudonyms("first test key of at least thirty-two characters");
    private static final Pseudonyms K2 = new Pseudonyms("second test key of at least thirty-two characters");

    @RegisterExtension
    static final RecordedEmulator emulator = RecordedEmulator.withoutKeyRecord();

    private final SettableClock clock = new SettableClock(NOW);

    private DynamoDbCounterStore store(Pseudonyms... keys) {
        return new DynamoDbCounterStore(emulator.client(), TestStores.settings(
                TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty())).pseudonymKeys(keys).build(), clock);
    }

    private static AnalyticsEvent click(Hour hour, String user, String eventId) {
        return new AnalyticsEvent(hour.startMillis() + 60_000, user, EventType.CLICK, eventId);
    }

    @Test
    void record_newTable_keepsNoUserIdInAnyItem() {
        DynamoDbCounterStore store = store(Pseudonyms.LOCAL);
        List<String> users = List.of("alice@example.com", "customer-0042", "dévice,7");

        store.record(PARTNER, click(HOUR, users.get(0), "e1"));
        store.record(PARTNER, click(HOUR.plus(-30), users.get(1), null));
        store.recordBatch(PARTNER, List.of(click(HOUR, users.get(2), "e2"), click(HOUR, users.get(0), "e3"), click(HOUR, users.get(1), null)));

        assertThat(store.countsFor(PARTNER, HOUR)).isEqualTo(new HourCounts(3, 4, 0));
        List<String> stored = new ArrayList<>();
        emulator.client().scanPaginator(b -> b.tableName(emulator.table())).items().forEach(item ->
                item.forEach((name, value) -> {
                    stored.add(name);
                    stored.add(value.s() == null ? value.toString() : value.s());
                }));
        users.forEach(user -> assertThat(stored).noneMatch(text -> text.contains(user)));
        assertThat(stored).contains(TestStores.markerKey(PARTNER, HOUR, users.get(0)), "from_" + Pseudonyms.LOCAL.id());
        assertThat(configItem()).containsEntry("from_" + Pseudonyms.LOCAL.id(), AttributeValue.fromN("0"));
    }

    /**
     * Writers of clear ids counted users u1 and u2 in this hour and two hours before, and one event id of u1; then the first
     * writer with pseudonyms starts, while old ones still write (a canary), also an hour ahead.
     */
    @Test
    void record_tableUpgradedFromClearIds_countsEachUserOnceInTheHoursTheUpgradeStraddles() {
        for (Hour hour : List.of(HOUR, HOUR.plus(-2))) {
            oldWriter(hour, "u1", hour.equals(HOUR) ? "e1" : null);
            oldWriter(hour, "u2", null);
        }
        DynamoDbCounterStore upgraded = store(K1);

        for (String user : List.of("u1", "u2", "u3")) {
            upgraded.record(PARTNER, click(HOUR, user, null));
            upgraded.record(PARTNER, click(HOUR.plus(-2), user, null));
        }
        oldWriter(HOUR.plus(1), "u4", null);
        upgraded.record(PARTNER, click(HOUR.plus(1), "u4", null));
        // The old writers' event: its resend counts nothing; its id reused for another event is refused.
        upgraded.record(PARTNER, oldEvent(HOUR, "u1", "e1"));
        assertThatThrownBy(() -> upgraded.record(PARTNER, click(HOUR, "u2", "e1"))).isInstanceOf(EventIdConflictException.class);

        assertThat(upgraded.countsFor(PARTNER, HOUR)).isEqualTo(new HourCounts(3, 5, 0));
        assertThat(upgraded.countsFor(PARTNER, HOUR.plus(-2))).isEqualTo(new HourCounts(3, 5, 0));
        assertThat(upgraded.countsFor(PARTNER, HOUR.plus(1))).isEqualTo(new HourCounts(1, 2, 0));
        Hour first = HOUR.plus(3);
        assertThat(configItem()).containsEntry("from_" + K1.id(), AttributeValue.fromN(Long.toString(first.index())));

        clock.advance(Duration.ofHours(3));
        upgraded.record(PARTNER, click(first, "u1", "e9"));
        assertThat(item(TableLayout.markerKey(PARTNER, first, K1.of(PARTNER, "u1")))).isNotNull();
        assertThat(item(TableLayout.clearMarkerKey(PARTNER, first, "u1"))).isNull();
        assertThat(item(TableLayout.eventIdKey(PARTNER, "e9")).get(TableLayout.EVENT).s()).doesNotContain("u1").endsWith(K1.of(PARTNER, "u1"));
        assertThat(upgraded.countsFor(PARTNER, first)).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void record_rotatedKey_keepsEachHourOnTheKeyThatCountedIt() {
        store(K1).record(PARTNER, click(HOUR, "u1", null));
        DynamoDbCounterStore rotated = store(K2, K1);

        rotated.record(PARTNER, click(HOUR, "u1", null));
        rotated.record(PARTNER, click(HOUR.plus(1), "u1", null));
        store(K1).record(PARTNER, click(HOUR.plus(1), "u1", null));

        assertThat(rotated.countsFor(PARTNER, HOUR)).isEqualTo(new HourCounts(1, 2, 0));
        assertThat(rotated.countsFor(PARTNER, HOUR.plus(1))).isEqualTo(new HourCounts(1, 2, 0));
        clock.advance(Duration.ofHours(3));
        rotated.record(PARTNER, click(HOUR.plus(3), "u1", null));
        assertThat(item(TableLayout.markerKey(PARTNER, HOUR.plus(3), K2.of(PARTNER, "u1")))).isNotNull();
        // A writer rolled back to the old key alone, or given the new key alone too early, refuses (503) what it would miscount.
        assertThatThrownBy(() -> store(K1).record(PARTNER, click(HOUR.plus(3), "u1", null)))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("pseudonym key " + K2.id());
        assertThatThrownBy(() -> store(K2).record(PARTNER, click(HOUR, "u9", null)))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("pseudonym key " + K1.id());
        assertThat(rotated.countsFor(PARTNER, HOUR.plus(3))).isEqualTo(new HourCounts(1, 1, 0));
    }

    /** As the writers before pseudonyms did: the clear marker and its user counted, or the event id, in one transaction. */
    private void oldWriter(Hour hour, String user, String eventId) {
        List<TransactWriteItem> actions = new ArrayList<>();
        actions.add(TransactWriteItem.builder().put(p -> p.tableName(emulator.table())
                .item(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.clearMarkerKey(PARTNER, hour, user))))
                .conditionExpression("attribute_not_exists(pk)")).build());
        if (eventId != null) {
            AnalyticsEvent event = oldEvent(hour, user, eventId);
            actions.add(TransactWriteItem.builder().put(p -> p.tableName(emulator.table()).item(Map.of(
                    TableLayout.KEY, AttributeValue.fromS(TableLayout.eventIdKey(PARTNER, eventId)),
                    TableLayout.EVENT, AttributeValue.fromS(event.timestampMillis() + ",click," + user)))).build());
        }
        actions.add(TransactWriteItem.builder().update(u -> u.tableName(emulator.table())
                .key(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(PARTNER, hour))))
                .updateExpression("ADD unique_users :one, clicks :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build());
        emulator.client().transactWriteItems(b -> b.transactItems(actions));
    }

    private static AnalyticsEvent oldEvent(Hour hour, String user, String eventId) {
        return new AnalyticsEvent(hour.startMillis() + 1_000, user, EventType.CLICK, eventId);
    }

    private Map<String, AttributeValue> configItem() {
        return item("config#pseudonym-keys");
    }

    private Map<String, AttributeValue> item(String key) {
        var response = emulator.client().getItem(b -> b.tableName(emulator.table()).key(Map.of(TableLayout.KEY, AttributeValue.fromS(key))));
        return response.hasItem() ? response.item() : null;
    }
}
