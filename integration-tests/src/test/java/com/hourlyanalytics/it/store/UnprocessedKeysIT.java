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
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * A GET whose BatchGetItem leaves keys unprocessed, as DynamoDB does under load: the read asks again for exactly
 * those keys and sums exactly once; past its attempts it answers 503 rather than a partial count. dynalite never
 * leaves keys unprocessed, so an interceptor turns the first answers' items back into unprocessed keys.
 */
class UnprocessedKeysIT {

    private static final Hour HOUR = Hour.containing(1709287200000L);
    private static final Partner PARTNER = new Partner("p1");

    /** Moves every returned item of the next {@code remaining} answers into UnprocessedKeys. */
    private static final class LeaveUnprocessed implements ExecutionInterceptor {
        final AtomicInteger remaining = new AtomicInteger();
        final AtomicInteger answers = new AtomicInteger();

        @Override
        public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
            if (!(context.response() instanceof BatchGetItemResponse response)) {
                return context.response();
            }
            answers.incrementAndGet();
            if (remaining.getAndDecrement() <= 0 || response.responses().isEmpty()) {
                return response;
            }
            Map<String, KeysAndAttributes> unprocessed = new HashMap<>();
            response.responses().forEach((table, items) -> {
                List<Map<String, AttributeValue>> keys = new ArrayList<>();
                items.forEach(item -> keys.add(Map.of("pk", item.get("pk"))));
                unprocessed.put(table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            });
            return response.toBuilder().responses(Map.of()).unprocessedKeys(unprocessed).build();
        }
    }

    private final LeaveUnprocessed interceptor = new LeaveUnprocessed();
    private DynaliteProcess dynalite;
    private DynamoDbClient client;
    private DynamoDbCounterStore store;

    @BeforeEach
    void start() {
        dynalite = Emulator.start();
        client = Emulator.client(dynalite, interceptor);
        var settings = TestStores.settings(TestStores.firstReleaseSettings(Emulator.newTable(client), "", java.util.Optional.empty()))
                .counterShards(4).build();
        store = new DynamoDbCounterStore(client, settings, Clock.systemUTC());
        for (int i = 0; i < 40; i++) {
            store.record(PARTNER, new AnalyticsEvent(HOUR.startMillis() + i, "u" + (i % 7), i % 3 == 0 ? EventType.IMPRESSION : EventType.CLICK));
        }
    }

    @AfterEach
    void stop() {
        client.close();
        dynalite.close();
    }

    @Test
    void countsFor_keysLeftUnprocessedTwice_asksForThemAgainAndSumsEachOnce() {
        interceptor.remaining.set(2);
        interceptor.answers.set(0);

        assertThat(store.countsFor(PARTNER, HOUR)).isEqualTo(new HourCounts(7, 26, 14));
        assertThat(interceptor.answers).hasValue(3);
    }

    @Test
    void countsFor_keysLeftUnprocessedOnEveryAttempt_failsAfterThreeCallsInsteadOfAPartialCount() {
        interceptor.remaining.set(Integer.MAX_VALUE);
        interceptor.answers.set(0);

        assertThatThrownBy(() -> store.countsFor(PARTNER, HOUR)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("unprocessed");
        assertThat(interceptor.answers).hasValue(3);
    }
}
