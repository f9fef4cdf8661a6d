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
    void budget_noCallStartsAfter22_8s_theLastEndsWithin25s_insideTheIngestTimeoutAndApiGateways29s() {
        assertThat(DynamoDbClients.CALL_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
        assertThat(ConflictBackoff.CAP_MILLIS).isEqualTo(200);
        assertThat(EventRecorder.WRITE_TAIL).isEqualTo(Duration.ofMillis(2_200));
        assertThat(EventRecorder.DEADLINE).isEqualTo(Duration.ofMillis(22_800));
        assertThat(EventRecorder.BATCH_STORE_BUDGET).isEqualTo(Duration.ofSeconds(25))
                .isLessThan(Duration.ofSeconds(28));
    }
}
