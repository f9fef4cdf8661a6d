package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.TestStores;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** The DynamoDB adapter against a real dynalite: contract cases, key safety and the exact requests sent. */
class DynamoDbCounterStoreIT {

    static final long H = 1709287200000L; // 2024-03-01T10:00:00Z

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();
    private DynamoDbCounterStore store;

    @BeforeEach
    void storeOnFreshTable() {
        store = TestStores.firstRelease(emulator.client(), emulator.table());
    }

    private static List<SdkRequest> sent() {
        return emulator.sent().requests(SdkRequest.class);
    }

    private HourCounts post(long timestamp, String user, EventType type) {
        store.record(Partner.DEFAULT, new AnalyticsEvent(timestamp, user, type));
        return store.countsFor(Partner.DEFAULT, Hour.containing(H));
    }

    @Test
    void record_contractRunningSequence_countsUsersOncePerHourAcrossEventTypes() {
        assertThat(post(H + 1, "u1", EventType.CLICK)).isEqualTo(new HourCounts(1, 1, 0));
        assertThat(post(H + 2, "u1", EventType.CLICK)).isEqualTo(new HourCounts(1, 2, 0));
        assertThat(post(H + 3, "u2", EventType.IMPRESSION)).isEqualTo(new HourCounts(2, 2, 1));
        assertThat(post(H + 4, "U1", EventType.IMPRESSION)).isEqualTo(new HourCounts(3, 2, 2));
    }

    @Test
    void record_returnsWhetherTheUserWasNewInThatHour() {
        assertThat(store.record(Partner.DEFAULT, new AnalyticsEvent(H, "u", EventType.CLICK))).isTrue();
        assertThat(store.record(Partner.DEFAULT, new AnalyticsEvent(H + 5, "u", EventType.IMPRESSION))).isFalse();
        assertThat(store.record(Partner.DEFAULT, new AnalyticsEvent(H + 3_600_000, "u", EventType.CLICK))).isTrue();
    }

    @Test
    void record_hourBoundary_lastMillisecondAndNextHourAreSeparate() {
        store.record(Partner.DEFAULT, new AnalyticsEvent(H + 3_599_999, "u", EventType.CLICK));
        store.record(Partner.DEFAULT, new AnalyticsEvent(H + 3_600_000, "u", EventType.CLICK));

        assertThat(store.countsFor(Partner.DEFAULT, Hour.containing(H))).isEqualTo(new HourCounts(1, 1, 0));
        assertThat(store.countsFor(Partner.DEFAULT, Hour.containing(H + 3_600_000))).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void record_epochAndSeedTimestamps_landInHours0And2786() {
        store.record(Partner.DEFAULT, new AnalyticsEvent(0, "u", EventType.CLICK));
        store.record(Partner.DEFAULT, new AnalyticsEvent(10_032_342_000L, "u", EventType.IMPRESSION));

        assertThat(store.countsFor(Partner.DEFAULT, new Hour(0))).isEqualTo(new HourCounts(1, 1, 0));
        assertThat(store.countsFor(Partner.DEFAULT, new Hour(2786))).isEqualTo(new HourCounts(1, 0, 1));
    }

    @Test
    void record_multiHourFixture_eachHourCountsItsOwnUsers() {
        Hour first = Hour.containing(H);
        for (int h = 0; h < 30; h++) {
            EventType type = h % 2 == 0 ? EventType.CLICK : EventType.IMPRESSION;
            for (String[] userAtMinute : new String[][] {{"alice", "1"}, {"bob", "11"}, {"carol", "31"}}) {
                long at = first.plus(h).startMillis() + Long.parseLong(userAtMinute[1]) * 60_000;
                store.record(Partner.DEFAULT, new AnalyticsEvent(at, userAtMinute[0], type));
            }
        }
        for (int h = 0; h < 30; h++) {
            assertThat(store.countsFor(Partner.DEFAULT, first.plus(h)))
                    .isEqualTo(h % 2 == 0 ? new HourCounts(3, 3, 0) : new HourCounts(3, 0, 3));
        }
        assertThat(store.countsFor(Partner.DEFAULT, first.plus(-1))).isEqualTo(HourCounts.EMPTY);
        assertThat(store.countsFor(Partner.DEFAULT, first.plus(30))).isEqualTo(HourCounts.EMPTY);
    }

    @Test
    void countsFor_hourNobodyWrote_isAllZeros() {
        assertThat(HttpResponses.countsBody(store.countsFor(Partner.DEFAULT, Hour.containing(H)))).isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
    }

    @Test
    void record_userIdsShapedLikeKeys_neverCollide() {
        Hour hour1 = new Hour(1);
        Hour hour12 = new Hour(12);
        store.record(Partner.DEFAULT, new AnalyticsEvent(hour1.startMillis(), "2#x", EventType.CLICK));
        store.record(Partner.DEFAULT, new AnalyticsEvent(hour12.startMillis(), "x", EventType.CLICK));
        store.record(Partner.DEFAULT, new AnalyticsEvent(hour1.startMillis(), "hour#1", EventType.CLICK));

        assertThat(store.countsFor(Partner.DEFAULT, hour1)).isEqualTo(new HourCounts(2, 2, 0));
        assertThat(store.countsFor(Partner.DEFAULT, hour12)).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void record_longestAllowedUserIdInFourByteCharacters_isStored() {
        String user = "😀".repeat(64); // 256 UTF-8 bytes, 128 UTF-16 chars
        assertThat(post(H, user, EventType.CLICK)).isEqualTo(new HourCounts(1, 1, 0));
        assertThat(post(H, user, EventType.CLICK)).isEqualTo(new HourCounts(1, 2, 0));
    }

    @Test
    void record_newUser_sendsOneTransactionOfConditionalMarkerPutAndAdd() {
        store.record(Partner.DEFAULT, new AnalyticsEvent(H, "u1", EventType.CLICK));

        // H's hour ended over a day ago: this store reads the marker retention floor first, once (RetentionFloor).
        // Then, before its first marker, which pseudonym key counts which hours, once (VisitorKeys).
        assertThat(sent()).hasSize(3).first().isInstanceOfSatisfying(GetItemRequest.class,
                get -> assertThat(get.key().get("pk").s()).isEqualTo("config#marker-retention"));
        assertThat(sent().get(1)).isInstanceOfSatisfying(GetItemRequest.class,
                get -> assertThat(get.key().get("pk").s()).isEqualTo("config#pseudonym-keys"));
        assertThat(sent().get(2)).isInstanceOfSatisfying(TransactWriteItemsRequest.class, transaction -> {
            assertThat(transaction.transactItems()).hasSize(2);
            Put put = transaction.transactItems().get(0).put();
            assertThat(put.tableName()).isEqualTo(emulator.table());
            assertThat(put.item()).containsOnlyKeys("pk");
            assertThat(put.item().get("pk").s()).isEqualTo(TestStores.markerKey(Partner.DEFAULT, Hour.containing(H), "u1"));
            assertThat(put.conditionExpression()).isEqualTo("attribute_not_exists(pk)");
            assertThat(put.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
            Update update = transaction.transactItems().get(1).update();
            assertThat(update.tableName()).isEqualTo(emulator.table());
            assertThat(update.key()).containsOnlyKeys("pk");
            assertThat(update.key().get("pk").s()).isEqualTo("hour#" + Hour.containing(H).index());
            assertThat(update.updateExpression()).isEqualTo("ADD unique_users :unique_users, clicks :clicks");
            assertThat(update.expressionAttributeValues()).containsOnlyKeys(":unique_users", ":clicks");
            assertThat(update.expressionAttributeValues().get(":clicks").n()).isEqualTo("1");
            assertThat(update.expressionAttributeValues().get(":unique_users").n()).isEqualTo("1");
            assertThat(update.conditionExpression()).isNull();
        });
    }

    @Test
    void record_repeatUserWithoutCache_cancelledTransactionThenOnePlainAddOfTheEvent() {
        store.record(Partner.DEFAULT, new AnalyticsEvent(H, "u1", EventType.CLICK));
        emulator.sent().clear();

        assertThat(store.record(Partner.DEFAULT, new AnalyticsEvent(H, "u1", EventType.IMPRESSION))).isFalse();

        assertThat(sent()).hasSize(2);
        assertThat(sent().get(0)).isInstanceOfSatisfying(TransactWriteItemsRequest.class, transaction ->
                assertThat(transaction.transactItems().get(1).update().updateExpression())
                        .isEqualTo("ADD unique_users :unique_users, impressions :impressions"));
        assertThat(sent().get(1)).isInstanceOfSatisfying(UpdateItemRequest.class, update -> {
            assertThat(update.key().get("pk").s()).isEqualTo("hour#" + Hour.containing(H).index());
            assertThat(update.updateExpression()).isEqualTo("ADD impressions :impressions");
            assertThat(update.conditionExpression()).isNull();
        });
        assertThat(store.countsFor(Partner.DEFAULT, Hour.containing(H))).isEqualTo(new HourCounts(1, 1, 1));
    }

    /** DynamoDB reports a throttled transaction as a cancellation, which the client does not retry: the store does. */
    @Test
    void record_transactionCancelledForThrottling_isRetriedAndCountsOnce() {
        AtomicInteger throttled = new AtomicInteger();
        ExecutionInterceptor throttlesTwice = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest transaction && throttled.getAndIncrement() < 2) {
                    throw TransactionCanceledException.builder().statusCode(400)
                            .cancellationReasons(transaction.transactItems().stream().map(item -> CancellationReason.builder()
                                    .code(item.update() != null ? "ThrottlingError" : "None").build()).toList())
                            .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                            .message("Transaction cancelled (injected)").build();
                }
            }
        };
        try (DynamoDbClient client = Emulator.client(emulator.dynalite(), throttlesTwice)) {
            DynamoDbCounterStore throttledStore = TestStores.firstRelease(client, emulator.table());

            assertThat(throttledStore.record(Partner.DEFAULT, new AnalyticsEvent(H, "u1", EventType.CLICK, "e1"))).isTrue();
        }

        assertThat(throttled).hasValue(3);
        assertThat(store.countsFor(Partner.DEFAULT, Hour.containing(H))).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void countsFor_readsStronglyConsistent() {
        store.countsFor(Partner.DEFAULT, Hour.containing(H));

        assertThat(sent()).singleElement().isInstanceOfSatisfying(BatchGetItemRequest.class,
                get -> assertThat(get.requestItems().values()).singleElement()
                        .satisfies(keys -> assertThat(keys.consistentRead()).isTrue()));
    }
}
