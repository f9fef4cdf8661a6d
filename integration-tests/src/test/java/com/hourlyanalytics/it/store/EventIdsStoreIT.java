package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.Pseudonyms;
import com.hourlyanalytics.testing.SettableClock;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Atomic writes and partner event ids on a real dynalite (with the project's TransactWriteItems). */
class EventIdsStoreIT {

    static final long H = 1709287200000L;
    static final Partner P1 = new Partner("p1");
    static final Partner P2 = new Partner("p2");

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();
    private DynamoDbCounterStore store;

    @BeforeEach
    void storeOnFreshTable() {
        store = TestStores.firstRelease(emulator.client(), emulator.table());
    }

    private HourCounts counts(Partner partner) {
        return store.countsFor(partner, Hour.containing(H));
    }

    @Test
    void record_sameEventIdResent_countsOnce() {
        AnalyticsEvent event = new AnalyticsEvent(H + 1, "u", EventType.CLICK, "e-1");

        assertThat(store.record(P1, event)).isTrue();
        assertThat(store.record(P1, event)).isFalse();
        assertThat(store.recordBatch(P1, List.of(event, new AnalyticsEvent(H + 2, "u", EventType.CLICK)))).isZero();

        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 2, 0));
    }

    @Test
    void record_eventIdReusedForAnotherEvent_conflictsAndStoresNothing() {
        store.record(P1, new AnalyticsEvent(H + 1, "u", EventType.CLICK, "e-1"));

        for (AnalyticsEvent other : List.of(new AnalyticsEvent(H + 2, "u", EventType.CLICK, "e-1"),
                new AnalyticsEvent(H + 1, "v", EventType.CLICK, "e-1"), new AnalyticsEvent(H + 1, "u", EventType.IMPRESSION, "e-1"))) {
            assertThatThrownBy(() -> store.record(P1, other)).isInstanceOf(EventIdConflictException.class)
                    .hasMessage("event_id 'e-1' was already used for a different event; send a new event_id for a new event");
        }
        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void recordBatch_oneEventIdReusedForAnotherEvent_rejectsTheWholeBatchUnchanged() {
        store.record(P1, new AnalyticsEvent(H + 1, "u", EventType.CLICK, "e-1"));
        List<AnalyticsEvent> batch = List.of(new AnalyticsEvent(H + 2, "v", EventType.CLICK, "e-2"),
                new AnalyticsEvent(H + 3, "w", EventType.CLICK), new AnalyticsEvent(H + 4, "u", EventType.IMPRESSION, "e-1"));

        assertThatThrownBy(() -> store.recordBatch(P1, batch)).isInstanceOf(EventIdConflictException.class);

        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void eventIds_arePerPartner() {
        store.record(P1, new AnalyticsEvent(H + 1, "u", EventType.CLICK, "e-1"));
        store.record(P2, new AnalyticsEvent(H + 5, "v", EventType.IMPRESSION, "e-1"));

        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 1, 0));
        assertThat(counts(P2)).isEqualTo(new HourCounts(1, 0, 1));
    }

    @Test
    void recordBatch_moreActionsThanOneTransaction_resentWhole_countsEveryEventOnce() {
        // 150 new users with 2 events each, every event with an id: 450 actions, 5 transactions of at most 100.
        List<AnalyticsEvent> batch = new ArrayList<>();
        IntStream.range(0, 150).forEach(u -> {
            batch.add(new AnalyticsEvent(H + u, "u" + u, EventType.CLICK, "c" + u));
            batch.add(new AnalyticsEvent(H + u, "u" + u, EventType.IMPRESSION, "i" + u));
        });
        emulator.sent().clear();

        assertThat(store.recordBatch(P1, batch)).isEqualTo(150);
        // Five groups, each sent until it commits (the emulator's transaction window makes them meet on the counter).
        List<TransactWriteItemsRequest> transactions = emulator.sent().requests(TransactWriteItemsRequest.class);
        assertThat(transactions).allSatisfy(request -> assertThat(request.transactItems()).hasSizeLessThanOrEqualTo(100));
        assertThat(transactions.stream().map(request -> request.transactItems().getFirst().put().item().get("pk").s()).distinct())
                .hasSize(5);
        assertThat(store.recordBatch(P1, batch)).isZero();

        assertThat(counts(P1)).isEqualTo(new HourCounts(150, 150, 150));
    }

    @Test
    void record_newUserWithoutId_isOneTransactionOfMarkerAndCounter_repeatUserIsOnePlainAdd() {
        emulator.sent().clear();
        store.record(P1, new AnalyticsEvent(H + 1, "u", EventType.CLICK));

        List<SdkRequest> sent = emulator.sent().requests(SdkRequest.class);
        // H's hour ended over a day ago: this store reads the marker retention floor first, once (RetentionFloor), then
        // which pseudonym key counts which hours, once (VisitorKeys).
        assertThat(sent).hasSize(3).first().isInstanceOf(GetItemRequest.class);
        assertThat(sent.get(1)).isInstanceOf(GetItemRequest.class);
        assertThat(sent.get(2)).isInstanceOfSatisfying(TransactWriteItemsRequest.class, request -> {
            assertThat(request.transactItems()).hasSize(2);
            assertThat(request.transactItems().get(0).put().conditionExpression()).isEqualTo("attribute_not_exists(pk)");
            assertThat(request.transactItems().get(0).put().item().get("pk").s()).isEqualTo(TestStores.markerKey(P1, new Hour(474_802), "u"));
            assertThat(request.transactItems().get(1).update().updateExpression()).isEqualTo("ADD unique_users :unique_users, clicks :clicks");
        });

        DynamoDbCounterStore cached = new DynamoDbCounterStore(emulator.client(),
                TestStores.settings(TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty()))
                        .markerCacheEntries(10).build(), Clock.systemUTC());
        cached.record(P1, new AnalyticsEvent(H + 2, "u", EventType.CLICK));
        emulator.sent().clear();
        cached.record(P1, new AnalyticsEvent(H + 3, "u", EventType.IMPRESSION));

        assertThat(emulator.sent().requests(SdkRequest.class)).singleElement().isInstanceOfSatisfying(UpdateItemRequest.class,
                update -> assertThat(update.updateExpression()).isEqualTo("ADD impressions :impressions"));
        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 2, 1));
    }

    @Test
    void record_eventIdsOfNewAndKnownUsers_eachAConditionalPutOfItsEventInTheTransaction() {
        Instant now = Instant.parse("2024-03-01T10:30:00Z");
        DynamoDbCounterStore cached = new DynamoDbCounterStore(emulator.client(),
                TestStores.settings(TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty())).markerCacheEntries(10).build(),
                Clock.fixed(now, ZoneOffset.UTC));
        String expiresAt = Long.toString(now.plus(Duration.ofHours(168)).getEpochSecond());
        emulator.sent().clear();

        cached.record(P1, new AnalyticsEvent(H + 1, "u", EventType.CLICK, "e-1"));
        cached.record(P1, new AnalyticsEvent(H + 2, "u", EventType.IMPRESSION, "e-2"));

        List<TransactWriteItemsRequest> sent = emulator.sent().requests(TransactWriteItemsRequest.class);
        // The hour is the clock's own: no marker retention floor to read (RetentionFloor.SHORTEST); the pseudonym keys' hours, once.
        assertThat(emulator.sent().count()).isEqualTo(3);
        assertThat(sent.get(0).transactItems()).hasSize(3).satisfies(items -> {
            assertThat(items.get(0).put().item().get("pk").s()).isEqualTo(TestStores.markerKey(P1, new Hour(474_802), "u"));
            // The event's visitor by pseudonym, as in the marker: the user id is nowhere.
            assertThat(items.get(1).put().item()).isEqualTo(Map.of("pk", AttributeValue.fromS("p#p1#event#e-1"),
                    "event", AttributeValue.fromS("1709287200001,click," + Pseudonyms.LOCAL.of(P1, "u")), "expires_at", AttributeValue.fromN(expiresAt)));
            assertThat(items.subList(0, 2)).allSatisfy(item -> {
                assertThat(item.put().conditionExpression()).isEqualTo("attribute_not_exists(pk)");
                assertThat(item.put().returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            });
            assertThat(items.get(2).update().updateExpression()).isEqualTo("ADD unique_users :unique_users, clicks :clicks");
        });
        // u is known now: its next event with an id is the id's put and the counter update, no marker.
        assertThat(sent.get(1).transactItems()).hasSize(2).satisfies(items -> {
            assertThat(items.get(0).put().item().get("pk").s()).isEqualTo("p#p1#event#e-2");
            assertThat(items.get(0).put().item().get("event").s()).isEqualTo("1709287200002,impression," + Pseudonyms.LOCAL.of(P1, "u"));
            assertThat(items.get(1).update().updateExpression()).isEqualTo("ADD impressions :impressions");
        });
        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 1, 1));
    }
    /**
     * Concurrent batches of the same users: each of this batch's attempts is cancelled because another writer created
     * one more of its users' markers just before it. Each cancellation shrinks the transaction, so the store keeps
     * going until it commits rather than answering 503 to a healthy store.
     */
    @Test
    void recordBatch_anotherWriterCreatesOneOfItsUsersBeforeEveryAttempt_commitsTheRestAndCountsEachUserOnce() {
        DynamoDbCounterStore racer = TestStores.firstRelease(emulator.client(), emulator.table());
        AtomicInteger raced = new AtomicInteger();
        ExecutionInterceptor racesFiveAttempts = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && raced.get() < 5) {
                    racer.record(P1, new AnalyticsEvent(H + 1, "u" + raced.getAndIncrement(), EventType.CLICK));
                }
            }
        };
        List<AnalyticsEvent> batch = IntStream.range(0, 10).mapToObj(u -> new AnalyticsEvent(H + 2, "u" + u, EventType.CLICK)).toList();
        try (DynamoDbClient client = Emulator.client(emulator.dynalite(), racesFiveAttempts)) {
            DynamoDbCounterStore contended = TestStores.firstRelease(client, emulator.table());

            assertThat(contended.recordBatch(P1, batch)).isEqualTo(5);
        }

        assertThat(raced).hasValue(5);
        assertThat(counts(P1)).isEqualTo(new HourCounts(10, 15, 0));
    }
    @Test
    void recordBatch_retryAfterTheDeadline_isNotSent_503AndThatGroupChangedNothing() {
        DynamoDbCounterStore racer = TestStores.firstRelease(emulator.client(), emulator.table());
        SettableClock clock = new SettableClock(Instant.parse("2024-03-01T10:30:00Z"));
        AtomicInteger transactions = new AtomicInteger();
        ExecutionInterceptor racesAndOutlastsTheDeadline = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && transactions.getAndIncrement() == 0) {
                    racer.record(P1, new AnalyticsEvent(H + 1, "u0", EventType.CLICK));
                    clock.advance(Duration.ofSeconds(23)); // past the 22.8 s deadline
                }
            }
        };
        List<AnalyticsEvent> batch = IntStream.range(0, 3).mapToObj(u -> new AnalyticsEvent(H + 2, "u" + u, EventType.CLICK)).toList();
        try (DynamoDbClient client = Emulator.client(emulator.dynalite(), racesAndOutlastsTheDeadline)) {
            DynamoDbCounterStore late = new DynamoDbCounterStore(client,
                    TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty()), clock);

            assertThatThrownBy(() -> late.recordBatch(P1, batch)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessage("store work passed its deadline");
        }

        assertThat(transactions).hasValue(1);
        assertThat(counts(P1)).isEqualTo(new HourCounts(1, 1, 0));
    }
}
