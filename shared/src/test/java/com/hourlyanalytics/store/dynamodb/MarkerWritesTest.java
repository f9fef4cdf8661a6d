package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.store.CounterStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MarkerWritesTest {

    @Test
    void batchBudget_lastMarkerPutAndEveryCounterRoundFitInsideTheIngestTimeout() {
        long counterRounds = Math.ceilDiv(CounterStore.MAX_BATCH_HOURS, CounterWrites.WRITERS);
        Duration worstCase = MarkerWrites.DEADLINE
                .plus(DynamoDbClients.CALL_TIMEOUT.multipliedBy(1 + counterRounds));

        assertThat(MarkerWrites.DEADLINE).isEqualTo(Duration.ofSeconds(17));
        assertThat(worstCase).isEqualTo(DynamoDbCounterStore.BATCH_STORE_BUDGET).isLessThan(Duration.ofSeconds(28));
    }
}
