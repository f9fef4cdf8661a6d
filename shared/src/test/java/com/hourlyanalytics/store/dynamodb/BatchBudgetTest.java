package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A batch's time budget, in the figures docs/capacity.md states: each constant is checked against its literal, not
 * recomputed from the others, so a change to any of them fails here and sends the reader to the doc.
 */
class BatchBudgetTest {

    @Test
    void budget_noWriteStartsAfter17s_theLastEndsWithin25s_insideTheIngestTimeoutAndApiGateways29s() {
        assertThat(DynamoDbClients.CALL_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
        assertThat(EventWrites.MAX_ATTEMPTS).isEqualTo(4);
        assertThat(DynamoDbCounterStore.WRITE_TAIL).isEqualTo(Duration.ofSeconds(8));
        assertThat(DynamoDbCounterStore.DEADLINE).isEqualTo(Duration.ofSeconds(17));
        assertThat(DynamoDbCounterStore.BATCH_STORE_BUDGET).isEqualTo(Duration.ofSeconds(25))
                .isLessThan(Duration.ofSeconds(28));
    }
}
