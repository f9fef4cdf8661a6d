package com.hourlyanalytics.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.client.ClientSettings;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.store.CounterStore;
import org.junit.jupiter.api.Test;

/**
 * The client has no dependency, so it writes the service's batch limits down again: they must be the validator's,
 * or its default batches would be refused with 400 (or be smaller than they may be).
 */
class ClientLimitsIT {

    @Test
    void clientsBatchLimits_areTheServices() {
        assertThat(ClientSettings.MAX_BATCH_LINES).isEqualTo(RequestValidator.MAX_BATCH_LINES);
        assertThat(ClientSettings.MAX_BATCH_BYTES).isEqualTo(RequestValidator.MAX_BATCH_BYTES);
        assertThat(ClientSettings.MAX_BATCH_HOURS).isEqualTo(CounterStore.MAX_BATCH_HOURS);
    }
}
