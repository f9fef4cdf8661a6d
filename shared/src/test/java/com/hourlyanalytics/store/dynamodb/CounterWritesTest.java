package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.HourCounts;
import org.junit.jupiter.api.Test;

class CounterWritesTest {

    @Test
    void counterUpdate_newUserClick_addsClickAndUniqueUser() {
        assertThat(CounterWrites.counterUpdate(new HourCounts(1, 1, 0))).isEqualTo("ADD unique_users :unique_users, clicks :clicks");
    }

    @Test
    void counterUpdate_repeatUserImpression_addsImpressionOnly() {
        assertThat(CounterWrites.counterUpdate(new HourCounts(0, 0, 1))).isEqualTo("ADD impressions :impressions");
    }

    @Test
    void counterUpdate_batchTotals_addsEveryNonZeroCount() {
        assertThat(CounterWrites.counterUpdate(new HourCounts(3, 5, 8)))
                .isEqualTo("ADD unique_users :unique_users, clicks :clicks, impressions :impressions");
        assertThat(CounterWrites.counterUpdate(new HourCounts(2, 0, 0))).isEqualTo("ADD unique_users :unique_users");
    }
}
