package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.it.fixture.SoloClasses;
import com.hourlyanalytics.local.TransactionConflicts;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The write path where requests meet: transaction conflicts (answered before anything reaches the emulator, as
 * DynamoDB answers them: nothing applied), a batch that fails part-way and is resent, an event id taken by another
 * request between a batch's read and its write. The emulator's own conflicts under load: HotHourConflictsIT.
 */
@Tag(SoloClasses.TAG)
class ContendedWritesStoreIT {

    static final long H = 1709287200000L;
    static final Hour HOUR = Hour.containing(H);
    static final Partner P = new Partner("p");

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();
    private DynamoDbCounterStore store;

    @BeforeEach
    void storeOnFreshTable() {
        store = TestStores.firstRelease(emulator.client(), emulator.table());
    }

    /** Fails the calls {@code failing} picks, {@code times} times, with {@code failure}, before they are sent. */
    private static ExecutionInterceptor failing(Predicate<SdkRequest> failing, int times, java.util.function.Supplier<RuntimeException> failure) {
        AtomicInteger left = new AtomicInteger(times);
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (failing.test(context.request()) && left.getAndDecrement() > 0) {
                    throw failure.get();
                }
            }
        };
    }

    private static TransactionConflictException plainConflict() {
        return TransactionConflictException.builder().statusCode(400)
                .message("Transaction is ongoing for the item (simulated)")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionConflictException").serviceName("DynamoDb").build()).build();
    }

    /** The cancellation DynamoDB answers when a transaction's counter update (its last action) meets another transaction. */
    private static TransactionCanceledException counterConflict(int actions) {
        List<CancellationReason> reasons = new ArrayList<>();
        IntStream.range(1, actions).forEach(i -> reasons.add(CancellationReason.builder().code("None").build()));
        reasons.add(CancellationReason.builder().code("TransactionConflict").message("Transaction is ongoing for the item").build());
        return TransactionCanceledException.builder().statusCode(400).cancellationReasons(reasons)
                .message("Transaction cancelled, please refer cancellation reasons for specific reasons (simulated)")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").serviceName("DynamoDb").build()).build();
    }

    private static boolean isCounterAdd(SdkRequest request) {
        return request instanceof UpdateItemRequest update && !update.updateExpression().contains("writer_shards");
    }

    private DynamoDbCounterStore storeWith(int shards, ExecutionInterceptor interceptor, DynamoDbClient[] opened) {
        opened[0] = Emulator.client(emulator.dynalite(), interceptor, emulator.sent());
        StoreSettings settings = TestStores.settings(TestStores.firstReleaseSettings(emulator.table(), "", Optional.empty()))
                .counterShards(shards).markerCacheEntries(1_000).build();
        return new DynamoDbCounterStore(opened[0], settings, Clock.systemUTC());
    }

    @Test
    void record_plainAddMeetsTransactionsTwice_retriedOnFreshShards_countedOnce_andTheHourWidens() {
        DynamoDbClient[] client = new DynamoDbClient[1];
        DynamoDbCounterStore contended = storeWith(2, failing(ContendedWritesStoreIT::isCounterAdd, 2, ContendedWritesStoreIT::plainConflict), client);
        try (DynamoDbClient ignored = client[0]) {
            contended.record(P, new AnalyticsEvent(H + 1, "u", EventType.CLICK));
            emulator.sent().clear();

            contended.record(P, new AnalyticsEvent(H + 2, "u", EventType.IMPRESSION));
        }

        assertThat(emulator.sent().requests(UpdateItemRequest.class)).filteredOn(ContendedWritesStoreIT::isCounterAdd).hasSize(3);
        // Width 2 met a conflict: 4 announced; then 4 met one: 8 announced, each on shard 0 before any write past it.
        assertThat(emulator.sent().requests(UpdateItemRequest.class)).filteredOn(update -> !isCounterAdd(update))
                .extracting(update -> update.expressionAttributeValues().get(":writer_shards").ns())
                .containsExactly(List.of("4"), List.of("8"));
        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(1, 1, 1));
    }

    @Test
    void record_transactionCancelledForAConflictOnItsCounter_retried_countsTheUserOnce() {
        DynamoDbClient[] client = new DynamoDbClient[1];
        DynamoDbCounterStore contended = storeWith(1, failing(TransactWriteItemsRequest.class::isInstance, 3, () -> counterConflict(2)), client);
        try (DynamoDbClient ignored = client[0]) {
            assertThat(contended.record(P, new AnalyticsEvent(H + 1, "u", EventType.CLICK))).isTrue();
        }

        assertThat(emulator.sent().requests(TransactWriteItemsRequest.class)).hasSize(4)
                .last().satisfies(transaction -> assertThat(transaction.transactItems().getLast().update().key().get("pk").s())
                        .isNotEqualTo(TableLayout.counterKey(P, HOUR))); // past width 1, never on shard 0
        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void record_conflictOnEveryAttempt_503TransactionConflict_andNothingCounted() {
        DynamoDbClient[] client = new DynamoDbClient[1];
        DynamoDbCounterStore contended = storeWith(1, failing(TransactWriteItemsRequest.class::isInstance, 1_000, () -> counterConflict(2)), client);
        try (DynamoDbClient ignored = client[0]) {
            assertThatThrownBy(() -> contended.record(P, new AnalyticsEvent(H + 1, "u", EventType.CLICK)))
                    .isInstanceOfSatisfying(StoreUnavailableException.class,
                            e -> assertThat(e.errorCode()).isEqualTo(StoreErrorCode.TRANSACTION_CONFLICT));
        }

        assertThat(store.countsFor(P, HOUR)).isEqualTo(HourCounts.EMPTY);
        assertThat(store.record(P, new AnalyticsEvent(H + 1, "u", EventType.CLICK))).isTrue(); // the resend
        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void recordBatch_fourContainersSendTheSameNewUsersAtOnce_everyBatchCounted_eachUserOnce() throws Exception {
        // Every batch's transactions meet the others' on the same markers (the emulator's transaction window): users
        // that met one commit apart, after the rest, and the others' markers are then found there.
        // 100 users: each batch is three transactions (at most 49 users each), twelve at once on the store; 400 made
        // 32 at once, of which one could pass its 1 s attempt timeout on a busy 2-core machine.
        List<List<AnalyticsEvent>> batches = IntStream.range(0, 4).mapToObj(b -> IntStream.range(0, 100)
                .mapToObj(u -> new AnalyticsEvent(H + u, "u" + ((u * 7 + b * 25) % 100), EventType.CLICK, "b" + b + "-" + u)).toList()).toList();
        Map<String, Long> before = TransactionConflicts.of(emulator.dynalite().endpoint());
        try (var containers = Executors.newFixedThreadPool(4)) {
            List<Future<Long>> newUsers = batches.stream().map(batch -> containers.submit(() ->
                    TestStores.firstRelease(emulator.client(), emulator.table()).recordBatch(P, batch))).toList();
            long total = 0;
            for (Future<Long> counted : newUsers) {
                total += counted.get();
            }
            assertThat(total).isEqualTo(100);
        }

        assertThat(TransactionConflicts.of(emulator.dynalite().endpoint()).getOrDefault("TransactWriteItems", 0L))
                .isGreaterThan(before.getOrDefault("TransactWriteItems", 0L));
        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(100, 400, 0));
    }

    @Test
    void recordBatch_50NewUsersWithAnIdEach_firstTransactionFails_resentWhole_ends50Users() {
        // 49 users fill the first transaction (99 actions); the 50th goes to the second with its event, never apart from it.
        List<AnalyticsEvent> batch = IntStream.range(0, 50).mapToObj(u -> new AnalyticsEvent(H + u, "u" + u, EventType.CLICK, "e" + u)).toList();
        String firstMarker = TestStores.markerKey(P, HOUR, "u0");
        Predicate<SdkRequest> first = request -> request instanceof TransactWriteItemsRequest transaction
                && transaction.transactItems().getFirst().put().item().get("pk").s().equals(firstMarker);
        CountDownLatch secondCommitted = new CountDownLatch(1);
        ExecutionInterceptor failsFirstOnceSecondCommitted = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (first.test(context.request())) {
                    try {
                        // The two run at once; failing before the second even started would leave nothing to resend over.
                        assertThat(secondCommitted.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw SdkClientException.create("connection refused (simulated)"); // the send and its resend
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && !first.test(context.request())) {
                    secondCommitted.countDown();
                }
            }
        };
        DynamoDbClient[] client = new DynamoDbClient[1];
        DynamoDbCounterStore failingFirst = storeWith(1, failsFirstOnceSecondCommitted, client);
        try (DynamoDbClient ignored = client[0]) {
            assertThatThrownBy(() -> failingFirst.recordBatch(P, batch)).isInstanceOf(StoreUnavailableException.class);
        }
        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(1, 1, 0)); // the second transaction, whole

        store.recordBatch(P, batch);

        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(50, 50, 0));
    }

    @Test
    void recordBatch_anIdTakenByAnotherRequestBetweenItsReadAndItsWrite_422SaysTheRestWasCounted() {
        List<AnalyticsEvent> batch = List.of(new AnalyticsEvent(H + 1, "a", EventType.CLICK, "e-a"),
                new AnalyticsEvent(H + 2, "b", EventType.CLICK, "e-b"), new AnalyticsEvent(H + 3, "c", EventType.IMPRESSION, "e-c"));
        AtomicInteger transactions = new AtomicInteger();
        ExecutionInterceptor racer = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && transactions.getAndIncrement() == 0) {
                    store.record(P, new AnalyticsEvent(H + 9, "z", EventType.IMPRESSION, "e-b"));
                }
            }
        };
        try (DynamoDbClient client = Emulator.client(emulator.dynalite(), racer)) {
            DynamoDbCounterStore raced = TestStores.firstRelease(client, emulator.table());

            assertThatThrownBy(() -> raced.recordBatch(P, batch)).isInstanceOf(EventIdConflictException.class)
                    .hasMessage("event_id 'e-b' was already used for a different event (stored by another request while this "
                            + "batch was written): that line was not counted, every other line was; do not resend the batch");
        }

        // a and c from the batch, z from the other request; b's line not counted, nor b as a user.
        assertThat(store.countsFor(P, HOUR)).isEqualTo(new HourCounts(3, 1, 2));
    }
}
