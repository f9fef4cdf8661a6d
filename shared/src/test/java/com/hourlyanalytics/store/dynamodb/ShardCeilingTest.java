package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ShardCeilingTest {

    private static final Hour HOUR = new Hour(494_482);

    @Test
    void write_oneShard_alwaysShardZeroWithoutAnnouncement() {
        ShardCeiling ceiling = new ShardCeiling(1, new ShardPicker());

        assertThat(ceiling.write(Partner.DEFAULT, HOUR)).isEqualTo(new ShardCeiling.Write(0, false));
    }

    @Test
    void write_beforeAnAnnouncementSucceeded_goesToShardZeroAndAnnounces() {
        ShardCeiling ceiling = new ShardCeiling(8, new ShardPicker());

        ShardCeiling.Write first = ceiling.write(Partner.DEFAULT, HOUR);
        // The first write failed: written() was never called, so the next one must announce again.
        ShardCeiling.Write retry = ceiling.write(Partner.DEFAULT, HOUR);

        assertThat(first).isEqualTo(new ShardCeiling.Write(0, true));
        assertThat(retry).isEqualTo(first);
        assertThat(ceiling.announcement()).isEqualTo(AttributeValue.fromNs(List.of("8")));
    }

    @Test
    void write_afterTheAnnouncementSucceeded_spreadsOverAllShardsOfThatHourOnly() {
        ShardCeiling ceiling = new ShardCeiling(8, new ShardPicker());
        ceiling.written(Partner.DEFAULT, HOUR, ceiling.write(Partner.DEFAULT, HOUR));

        Set<Integer> shards = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            ShardCeiling.Write write = ceiling.write(Partner.DEFAULT, HOUR);
            assertThat(write.announces()).isFalse();
            shards.add(write.shard());
        }

        assertThat(shards).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7); // a shard left out: odds 8 * (7/8)^500
        assertThat(ceiling.write(Partner.DEFAULT, HOUR.plus(1))).isEqualTo(new ShardCeiling.Write(0, true));
    }

    @Test
    void of_takesTheLargestAnnouncedShardCount() {
        assertThat(ShardCeiling.of(Map.of(ShardCeiling.ATTRIBUTE, AttributeValue.fromNs(List.of("8", "16", "4"))))).isEqualTo(16);
        assertThat(ShardCeiling.of(Map.of("clicks", AttributeValue.fromN("3")))).isZero();
    }

    @Test
    void of_valueAboveTheLimit_readsAtMostOneBatchGetOfShards() {
        assertThat(ShardCeiling.of(Map.of(ShardCeiling.ATTRIBUTE, AttributeValue.fromNs(List.of("5000")))))
                .isEqualTo(StoreSettings.MAX_COUNTER_SHARDS);
    }
}
