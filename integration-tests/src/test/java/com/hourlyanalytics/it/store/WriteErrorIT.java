package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A JVM {@link Error} (a missing class, no memory) on one of a batch's writer threads: the batch fails with it,
 * and every hour is whole, so no user-hour marker exists without its user counted. (Before the writes were
 * transactions, an Error after some marker puts lost those users for good: the markers existed, never credited.)
 */
class WriteErrorIT {

    private static final Partner PARTNER = new Partner("p1");
    private static final Hour FIRST = Hour.containing(1709287200000L);

    private final AtomicInteger transactions = new AtomicInteger();
    private DynaliteProcess dynalite;
    private DynamoDbClient client;

    @AfterEach
    void stop() {
        client.close();
        dynalite.close();
    }

    @Test
    void recordBatch_errorOnTheFourthTransaction_failsWithIt_andNoMarkerIsLeftUncounted() {
        dynalite = Emulator.start();
        client = Emulator.client(dynalite, new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && transactions.incrementAndGet() == 4) {
                    throw new NoClassDefFoundError("injected");
                }
            }
        });
        String table = Emulator.newTable(client);
        DynamoDbCounterStore store = TestStores.firstRelease(client, table);
        List<AnalyticsEvent> batch = new ArrayList<>();
        for (int hour = 0; hour < 12; hour++) {
            for (int user = 0; user < 5; user++) {
                batch.add(new AnalyticsEvent(FIRST.plus(hour).startMillis() + user, "u" + user, EventType.CLICK));
            }
        }

        assertThatThrownBy(() -> store.recordBatch(PARTNER, batch)).isInstanceOf(NoClassDefFoundError.class);

        int whole = 0;
        for (int hour = 0; hour < 12; hour++) {
            Hour h = FIRST.plus(hour);
            long markers = 0;
            for (int user = 0; user < 5; user++) {
                String key = TestStores.markerKey(PARTNER, h, "u" + user);
                markers += client.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(key)))).hasItem() ? 1 : 0;
            }
            HourCounts counts = store.countsFor(PARTNER, h);
            assertThat(counts).as("hour %d", hour).isIn(HourCounts.EMPTY, new HourCounts(5, 5, 0));
            assertThat(counts.uniqueUsers()).as("hour %d: users counted = markers", hour).isEqualTo(markers);
            whole += counts.equals(HourCounts.EMPTY) ? 0 : 1;
        }
        assertThat(whole).as("hours written before and beside the failed one").isBetween(3, 11);
    }
}
