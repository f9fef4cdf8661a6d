package com.hourlyanalytics.it.store;

import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.it.fixture.SoloClasses;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.ExactCounts;
import com.hourlyanalytics.testing.RecordingInterceptor;
import com.hourlyanalytics.testing.SettableClock;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Sharded counters, the marker cache, marker TTL and batches against a real dynalite, with the exact requests sent. */
@Tag(SoloClasses.TAG)
class ScaledCounterStoreIT {

    private static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    private static final Hour HOUR = Hour.containing(NOW);

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();
    private static final RecordingInterceptor sent = emulator.sent();
    private String table;

    @BeforeEach
    void freshTable() {
        table = emulator.table();
    }

    /** One function container's store: shards, marker cache size and marker retention as deployed. */
    private DynamoDbCounterStore store(int shards, int cacheEntries, Duration retention, Clock clock) {
        return new DynamoDbCounterStore(emulator.client(), TestStores.settings(Emulator.settings(emulator.dynalite(), table))
                .counterShards(shards).markerCacheEntries(cacheEntries).markerRetention(retention).build(), clock);
    }

    private DynamoDbCounterStore store(int shards, int cacheEntries) {
        return store(shards, cacheEntries, Duration.ZERO, Clock.systemUTC());
    }

    private static AnalyticsEvent event(Hour hour, String user, EventType type) {
        return new AnalyticsEvent(hour.startMillis() + 1, user, type);
    }

    /** Writers race on few users and two hours; each writer's events go through its own store when {@code containers} > 1. */
    private static void recordConcurrently(List<DynamoDbCounterStore> containers, List<List<AnalyticsEvent>> perWriter) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(perWriter.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < perWriter.size(); w++) {
                DynamoDbCounterStore store = containers.get(w % containers.size());
                List<AnalyticsEvent> events = perWriter.get(w);
                done.add(pool.submit(() -> events.forEach(event -> store.record(Partner.DEFAULT, event))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<List<AnalyticsEvent>> writers(int writers, int eventsEach, int users) {
        return IntStream.range(0, writers).mapToObj(w -> IntStream.range(0, eventsEach)
                .mapToObj(i -> event(HOUR.plus(i % 2), "u" + ((w * 7 + i) % users), i % 3 == 0 ? EventType.CLICK : EventType.IMPRESSION))
                .toList()).toList();
    }

    @ParameterizedTest(name = "{0} shard(s)")
    @ValueSource(ints = {1, 4})
    void record_concurrentWriters_countsExactAndSpreadOverShards(int shards) throws Exception {
        DynamoDbCounterStore store = store(shards, 1_000);
        List<List<AnalyticsEvent>> perWriter = writers(8, 100, 25);

        recordConcurrently(List.of(store), perWriter);

        Map<Hour, HourCounts> expected = ExactCounts.of(perWriter.stream().flatMap(List::stream).toList());
        assertThat(store.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(expected.get(HOUR));
        assertThat(store.countsFor(Partner.DEFAULT, HOUR.plus(1))).isEqualTo(expected.get(HOUR.plus(1)));
        Set<String> shardKeys = new HashSet<>();
        Set<String> announcedKeys = new HashSet<>();
        for (Hour hour : List.of(HOUR, HOUR.plus(1))) {
            IntStream.range(0, shards).forEach(s -> shardKeys.add(TableLayout.counterKey(Partner.DEFAULT, hour, s)));
            // Conflicts widen an hour past its start; every shard written must be one its shard 0 announces.
            IntStream.range(0, Math.max(shards, announcedWidth(hour))).forEach(s -> announcedKeys.add(TableLayout.counterKey(Partner.DEFAULT, hour, s)));
        }
        Set<String> written = new HashSet<>();
        sent.updates().forEach(update -> written.add(update.key().get("pk").s()));
        // Spread: at least as many shards as the hours started with (writers that meet conflicts widen them further).
        assertThat(written).hasSizeGreaterThanOrEqualTo(shardKeys.size()).isSubsetOf(announcedKeys);
    }

    private int announcedWidth(Hour hour) {
        var shardZero = emulator.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS(TableLayout.counterKey(Partner.DEFAULT, hour))))).item();
        AttributeValue widths = shardZero.get("writer_shards");
        return widths == null ? 0 : widths.ns().stream().mapToInt(Integer::parseInt).max().orElse(0);
    }

    @ParameterizedTest(name = "{0} shard(s)")
    @ValueSource(ints = {1, 4})
    void countsFor_readsEveryShardInOneConsistentBatchGet(int shards) {
        store(shards, 0).countsFor(Partner.DEFAULT, HOUR);

        BatchGetItemRequest read = sent.requests(BatchGetItemRequest.class).getFirst();
        assertThat(sent.count()).isEqualTo(1);
        KeysAndAttributes keys = read.requestItems().get(table);
        assertThat(keys.consistentRead()).isTrue();
        assertThat(keys.keys()).extracting(key -> key.get("pk").s())
                .containsExactlyElementsOf(IntStream.range(0, shards).mapToObj(s -> TableLayout.counterKey(Partner.DEFAULT, HOUR, s)).toList());
    }

    @Test
    void countsFor_moreShards_readsWhatOneShardWrote() {
        DynamoDbCounterStore unsharded = store(1, 0);
        unsharded.record(Partner.DEFAULT, event(HOUR, "a", EventType.CLICK));
        unsharded.record(Partner.DEFAULT, event(HOUR, "b", EventType.IMPRESSION));
        DynamoDbCounterStore sharded = store(8, 0);
        sharded.record(Partner.DEFAULT, event(HOUR, "a", EventType.IMPRESSION));

        assertThat(sharded.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(new HourCounts(2, 1, 2));
    }

    @Test
    void record_repeatUser_skipsTheTransactionOnceMarkerIsKnown() {
        DynamoDbCounterStore store = store(4, 100);
        assertThat(store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK))).isTrue();
        sent.clear();

        assertThat(store.record(Partner.DEFAULT, event(HOUR, "u", EventType.IMPRESSION))).isFalse();
        assertThat(store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK))).isFalse();

        assertThat(sent.count()).isEqualTo(2);
        assertThat(sent.requests(UpdateItemRequest.class)).hasSize(2)
                .allSatisfy(update -> assertThat(update.updateExpression()).doesNotContain("unique_users"));
        assertThat(store.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(new HourCounts(1, 2, 1));
    }

    @Test
    void record_cacheDisabled_putsMarkerEveryTime_andARefusedOneAddsTheEventPlainly() {
        DynamoDbCounterStore store = store(1, 0);
        store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK));
        store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK));

        assertThat(sent.transactionPuts()).hasSize(2)
                .allSatisfy(put -> assertThat(put.item().get("pk").s()).isEqualTo(TestStores.markerKey(Partner.DEFAULT, HOUR, "u")));
        assertThat(sent.requests(UpdateItemRequest.class)).singleElement()
                .satisfies(update -> assertThat(update.updateExpression()).isEqualTo("ADD clicks :clicks"));
        assertThat(store.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(new HourCounts(1, 2, 0));
    }

    @Test
    void record_twoContainersAndRestart_countEachUserOncePerHour() {
        DynamoDbCounterStore containerA = store(4, 100);
        DynamoDbCounterStore containerB = store(4, 100);

        assertThat(containerA.record(Partner.DEFAULT, event(HOUR, "u1", EventType.CLICK))).isTrue();
        assertThat(containerB.record(Partner.DEFAULT, event(HOUR, "u1", EventType.CLICK))).isFalse(); // cancelled: B learns u1
        assertThat(containerB.record(Partner.DEFAULT, event(HOUR, "u2", EventType.IMPRESSION))).isTrue();
        assertThat(containerA.record(Partner.DEFAULT, event(HOUR, "u2", EventType.IMPRESSION))).isFalse();
        sent.clear();
        assertThat(containerA.record(Partner.DEFAULT, event(HOUR, "u1", EventType.CLICK))).isFalse();
        assertThat(containerB.record(Partner.DEFAULT, event(HOUR, "u1", EventType.CLICK))).isFalse();
        assertThat(sent.requests(TransactWriteItemsRequest.class)).isEmpty();
        DynamoDbCounterStore restartedA = store(4, 100);
        assertThat(restartedA.record(Partner.DEFAULT, event(HOUR, "u2", EventType.CLICK))).isFalse();

        assertThat(sent.requests(TransactWriteItemsRequest.class)).hasSize(1);
        assertThat(restartedA.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(new HourCounts(2, 5, 2));
    }

    @Test
    void record_twoContainersConcurrently_countsExact() throws Exception {
        List<DynamoDbCounterStore> containers = List.of(store(4, 100), store(4, 100));
        List<List<AnalyticsEvent>> perWriter = writers(6, 100, 30);

        recordConcurrently(containers, perWriter);

        Map<Hour, HourCounts> expected = ExactCounts.of(perWriter.stream().flatMap(List::stream).toList());
        assertThat(containers.get(0).countsFor(Partner.DEFAULT, HOUR)).isEqualTo(expected.get(HOUR));
        assertThat(containers.get(1).countsFor(Partner.DEFAULT, HOUR.plus(1))).isEqualTo(expected.get(HOUR.plus(1)));
    }

    @Test
    void record_retentionSet_writesExpiresAtOnMarkers() {
        DynamoDbCounterStore store = store(1, 100, Duration.ofDays(30), Clock.fixed(NOW, java.time.ZoneOffset.UTC));

        store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK));

        long expiresAt = TableLayout.markerExpiresAt(HOUR, Duration.ofDays(30));
        assertThat(expiresAt).isEqualTo(Instant.parse("2026-12-28T12:00:00Z").getEpochSecond());
        Put put = sent.transactionPuts().getFirst();
        assertThat(put.item()).containsOnlyKeys("pk", "expires_at");
        assertThat(put.item().get("expires_at").n()).isEqualTo(Long.toString(expiresAt));
        Map<String, AttributeValue> stored = emulator.client().getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS(TestStores.markerKey(Partner.DEFAULT, HOUR, "u"))))).item();
        assertThat(stored.get("expires_at").n()).isEqualTo(Long.toString(expiresAt));
    }

    @Test
    void record_cachedMarkerPastRetention_isCheckedWithTheStoreAgain() {
        SettableClock clock = new SettableClock(NOW);
        DynamoDbCounterStore store = store(1, 100, Duration.ofDays(1), clock);
        store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK));
        store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK));
        assertThat(sent.transactionPuts()).hasSize(1);

        clock.advance(Duration.ofDays(1).plusMinutes(30)); // the hour ended a day ago: its marker may expire
        store.record(Partner.DEFAULT, event(HOUR, "u", EventType.CLICK));

        assertThat(sent.transactionPuts()).hasSize(2);
        assertThat(store.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(new HourCounts(1, 3, 0));
    }

    @Test
    void recordBatch_threeHours_oneTransactionPerHourOfItsNewUsersMarkersAndCounts_aKnownUsersEventPlainly() {
        DynamoDbCounterStore store = store(4, 100);
        store.record(Partner.DEFAULT, event(HOUR, "known", EventType.CLICK));
        sent.clear();
        List<AnalyticsEvent> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(event(HOUR.plus(-(i % 3)), "u" + (i % 7), i % 2 == 0 ? EventType.CLICK : EventType.IMPRESSION));
        }
        batch.add(event(HOUR, "known", EventType.IMPRESSION));

        long newUsers = store.recordBatch(Partner.DEFAULT, batch);

        assertThat(newUsers).isEqualTo(21); // 7 users in each of 3 hours; "known" was already counted
        Map<Hour, HourCounts> ofNewUsers = ExactCounts.of(batch.subList(0, 60));
        List<TransactWriteItemsRequest> transactions = sent.requests(TransactWriteItemsRequest.class);
        assertThat(transactions).hasSize(3);
        for (int back = 0; back < 3; back++) {
            Hour hour = HOUR.plus(-back);
            List<String> markers = IntStream.range(0, 7).mapToObj(u -> TestStores.markerKey(Partner.DEFAULT, hour, "u" + u)).toList();
            assertThat(transactions).as("hour -%d", back)
                    .filteredOn(transaction -> markers.contains(transaction.transactItems().getFirst().put().item().get("pk").s()))
                    .singleElement().satisfies(transaction -> {
                        assertThat(transaction.transactItems()).hasSize(8);
                        assertThat(transaction.transactItems().subList(0, 7)).extracting(item -> item.put().item().get("pk").s())
                                .containsExactlyInAnyOrderElementsOf(markers);
                        Update update = transaction.transactItems().get(7).update();
                        assertThat(update.key().get("pk").s()).isIn(shardKeys(hour, 4));
                        assertThat(update.expressionAttributeValues()).extractingByKeys(":unique_users", ":clicks", ":impressions")
                                .extracting(AttributeValue::n).containsExactly("7", Long.toString(ofNewUsers.get(hour).clicks()),
                                        Long.toString(ofNewUsers.get(hour).impressions()));
                    });
        }
        assertThat(sent.requests(UpdateItemRequest.class)).filteredOn(update -> update.updateExpression().contains("writer_shards"))
                .extracting(update -> update.key().get("pk").s()) // once before its writers fan out; HOUR's was by the record above
                .containsExactlyInAnyOrder(TableLayout.counterKey(Partner.DEFAULT, HOUR.plus(-1)), TableLayout.counterKey(Partner.DEFAULT, HOUR.plus(-2)));
        assertThat(sent.requests(UpdateItemRequest.class)).filteredOn(update -> !update.updateExpression().contains("writer_shards"))
                .singleElement().satisfies(update -> {
            assertThat(update.key().get("pk").s()).isIn(shardKeys(HOUR, 4));
            assertThat(update.updateExpression()).isEqualTo("ADD impressions :impressions");
        });
        Map<Hour, HourCounts> expected = ExactCounts.of(batch);
        assertThat(store.countsFor(Partner.DEFAULT, HOUR)).isEqualTo(expected.get(HOUR).plus(new HourCounts(0, 1, 0)));
        assertThat(store.countsFor(Partner.DEFAULT, HOUR.plus(-1))).isEqualTo(expected.get(HOUR.plus(-1)));
        assertThat(store.countsFor(Partner.DEFAULT, HOUR.plus(-2))).isEqualTo(expected.get(HOUR.plus(-2)));
    }

    private static List<String> shardKeys(Hour hour, int shards) {
        return IntStream.range(0, shards).mapToObj(s -> TableLayout.counterKey(Partner.DEFAULT, hour, s)).toList();
    }

    /** Two new users with a click each in each of 48 hours, every event with its id. */
    private static List<AnalyticsEvent> twoUsersIn48HoursWithIds() {
        return IntStream.range(0, 2 * CounterStore.MAX_BATCH_HOURS)
                .mapToObj(i -> new AnalyticsEvent(HOUR.plus(-(i % CounterStore.MAX_BATCH_HOURS)).startMillis() + 1, "user-" + i,
                        EventType.CLICK, "id-" + i)).toList();
    }

    /** The hours of {@link #twoUsersIn48HoursWithIds} whose transaction a store sent. */
    private static Set<Hour> hoursSent() {
        Set<Hour> hours = new HashSet<>();
        for (int back = 0; back < CounterStore.MAX_BATCH_HOURS; back++) {
            Hour hour = HOUR.plus(-back);
            if (sent.requests(TransactWriteItemsRequest.class).stream().anyMatch(transaction ->
                    transaction.transactItems().stream().anyMatch(item -> item.update() != null
                            && shardKeys(hour, 4).contains(item.update().key().get("pk").s())))) {
                hours.add(hour);
            }
        }
        return hours;
    }

    /** Each hour of {@link #twoUsersIn48HoursWithIds} counted whole (its two users and clicks) or not at all. */
    private void eachHourWholeOrNothing(Set<Hour> counted) {
        DynamoDbCounterStore reader = store(4, 0);
        for (int back = 0; back < CounterStore.MAX_BATCH_HOURS; back++) {
            Hour hour = HOUR.plus(-back);
            assertThat(reader.countsFor(Partner.DEFAULT, hour)).as("hour -%d", back)
                    .isEqualTo(counted.contains(hour) ? new HourCounts(2, 2, 0) : HourCounts.EMPTY);
        }
    }

    @Test
    void recordBatch_48HoursPastItsDeadline_eachHourWholeOrNothing_andAResendWithItsIdsCountsEachOnce() {
        // Each reading of this clock is 0.1 s later, so the batch passes its 22.8 s deadline part-way through.
        AtomicLong millis = new AtomicLong(NOW.toEpochMilli());
        Clock slow = new Clock() {
            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.addAndGet(100));
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        List<AnalyticsEvent> batch = twoUsersIn48HoursWithIds();

        assertThatThrownBy(() -> store(4, 0, Duration.ZERO, slow).recordBatch(Partner.DEFAULT, batch))
                .isInstanceOf(StoreUnavailableException.class).hasMessage("store work passed its deadline");

        Set<Hour> counted = hoursSent();
        assertThat(counted.size()).isBetween(1, CounterStore.MAX_BATCH_HOURS - 1);
        eachHourWholeOrNothing(counted);
        store(4, 0).recordBatch(Partner.DEFAULT, batch);
        eachHourWholeOrNothing(Set.copyOf(IntStream.range(0, CounterStore.MAX_BATCH_HOURS).mapToObj(back -> HOUR.plus(-back)).toList()));
    }

    @Test
    void recordBatch_oneHoursTransactionFails_thatHourUnchanged_eachOtherWholeOrNothing_andAResendWithItsIdsCountsEachOnce() {
        String failing = TableLayout.counterKey(Partner.DEFAULT, HOUR);
        ExecutionInterceptor failsThatHour = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest transaction && transaction.transactItems().stream()
                        .anyMatch(item -> item.update() != null && item.update().key().get("pk").s().startsWith(failing))) {
                    throw SdkClientException.create("injected: transaction on " + failing + " failed");
                }
            }
        };
        List<AnalyticsEvent> batch = twoUsersIn48HoursWithIds();
        try (DynamoDbClient client = Emulator.client(emulator.dynalite(), sent, failsThatHour)) {
            DynamoDbCounterStore failingFirstHour = new DynamoDbCounterStore(client,
                    TestStores.settings(Emulator.settings(emulator.dynalite(), table)).counterShards(1).build(), Clock.systemUTC());

            assertThatThrownBy(() -> failingFirstHour.recordBatch(Partner.DEFAULT, batch)).isInstanceOf(StoreUnavailableException.class);
        }

        Set<Hour> counted = new HashSet<>(hoursSent());
        assertThat(counted).contains(HOUR);
        counted.remove(HOUR); // its transaction was sent, and failed before reaching the store
        eachHourWholeOrNothing(counted);
        store(1, 0).recordBatch(Partner.DEFAULT, batch);
        eachHourWholeOrNothing(Set.copyOf(IntStream.range(0, CounterStore.MAX_BATCH_HOURS).mapToObj(back -> HOUR.plus(-back)).toList()));
    }

    @Test
    void recordBatch_moreHoursThanTheValidatorAllows_isRefusedBeforeAnyStoreCall() {
        List<AnalyticsEvent> tenThousandHours = IntStream.range(0, 10_000).mapToObj(i -> event(HOUR.plus(-i), "u", EventType.CLICK)).toList();

        assertThatThrownBy(() -> store(4, 0).recordBatch(Partner.DEFAULT, tenThousandHours))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batch spans 10000 hours");
        assertThat(sent.count()).isZero();
    }
}
