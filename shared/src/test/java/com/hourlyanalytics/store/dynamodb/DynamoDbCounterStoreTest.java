package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import org.junit.jupiter.api.Test;

class DynamoDbCounterStoreTest {

    @Test
    void counterUpdate_newUserClick_addsClickAndUniqueUser() {
        assertThat(DynamoDbCounterStore.counterUpdate(EventType.CLICK, true)).isEqualTo("ADD clicks :one, unique_users :one");
    }

    @Test
    void counterUpdate_repeatUserImpression_addsImpressionOnly() {
        assertThat(DynamoDbCounterStore.counterUpdate(EventType.IMPRESSION, false)).isEqualTo("ADD impressions :one");
    }

    @Test
    void markerKey_userIdThatLooksLikeAKey_cannotCollideWithAnotherHour() {
        // Hour 1 with user "2#x" and hour 12 with user "x" would collide under a naive "<hour><user>" format.
        assertThat(DynamoDbCounterStore.markerKey(new Hour(1), "2#x"))
                .isEqualTo("user#1#2#x")
                .isNotEqualTo(DynamoDbCounterStore.markerKey(new Hour(12), "x"));
        assertThat(DynamoDbCounterStore.markerKey(new Hour(1), "x")).isNotEqualTo(DynamoDbCounterStore.counterKey(new Hour(1)));
    }

    @Test
    void counterKey_namesTheHourIndex() {
        assertThat(DynamoDbCounterStore.counterKey(Hour.containing(10_032_342_000L))).isEqualTo("hour#2786");
    }
}
