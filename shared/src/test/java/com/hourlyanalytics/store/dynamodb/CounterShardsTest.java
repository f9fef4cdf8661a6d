package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CounterShardsTest {

    private static final Hour HOUR = new Hour(494_482);
    private static final Partner P = Partner.DEFAULT;

    private static int[] picks(CounterShards shards, boolean transactional) {
        CounterShards.Width width = shards.width(P, HOUR);
        return IntStream.range(0, 1_000).map(i -> shards.pick(width, transactional).shard()).distinct().sorted().toArray();
    }

    @Test
    void width_oneShard_needsNoAnnouncement_everyWriteOnShardZero() {
        CounterShards shards = new CounterShards(1, StoreSettings.MAX_COUNTER_SHARDS, new Spread());

        assertThat(shards.width(P, HOUR)).isEqualTo(new CounterShards.Width(1, true));
        assertThat(picks(shards, true)).containsExactly(0);
        assertThat(picks(shards, false)).containsExactly(0);
    }

    @Test
    void width_wider_mustBeAnnouncedFirst_thenPlainAddsUseEveryShardAndTransactionsAllButShardZero() {
        CounterShards shards = new CounterShards(4, StoreSettings.MAX_COUNTER_SHARDS, new Spread());
        assertThat(shards.width(P, HOUR)).isEqualTo(new CounterShards.Width(4, false));

        shards.announced(P, HOUR, 4, 4);

        assertThat(shards.width(P, HOUR)).isEqualTo(new CounterShards.Width(4, true));
        assertThat(picks(shards, false)).containsExactly(0, 1, 2, 3); // one left out of 1,000 picks: odds 4 * (3/4)^1000
        assertThat(picks(shards, true)).containsExactly(1, 2, 3);
        assertThat(shards.width(P, HOUR.plus(1)).announced()).isFalse();
    }

    @Test
    void announced_widerByAnotherWriter_isAdopted() {
        CounterShards shards = new CounterShards(4, StoreSettings.MAX_COUNTER_SHARDS, new Spread());

        shards.announced(P, HOUR, 4, 32);

        assertThat(shards.width(P, HOUR)).isEqualTo(new CounterShards.Width(32, true));
    }

    @Test
    void contended_doublesOncePerWidth_unannouncedUntilShardZeroHoldsIt_atMostTheLimit() {
        CounterShards shards = new CounterShards(1, StoreSettings.MAX_COUNTER_SHARDS, new Spread());
        CounterShards.Pick first = shards.pick(shards.width(P, HOUR), true);
        CounterShards.Pick concurrent = shards.pick(shards.width(P, HOUR), true);

        shards.contended(P, HOUR, first);
        shards.contended(P, HOUR, concurrent); // picked at width 1 too: the hour is 2 already, not 4

        assertThat(shards.width(P, HOUR)).isEqualTo(new CounterShards.Width(2, false));
        shards.announced(P, HOUR, 2, 2);
        for (int i = 0; i < 10; i++) {
            CounterShards.Width width = shards.width(P, HOUR);
            shards.contended(P, HOUR, shards.pick(width, true));
            shards.announced(P, HOUR, shards.width(P, HOUR).shards(), 0);
        }
        assertThat(shards.width(P, HOUR).shards()).isEqualTo(StoreSettings.MAX_COUNTER_SHARDS);
    }

    @Test
    void contended_neverPastTheLimit() {
        CounterShards shards = new CounterShards(2, 8, new Spread());
        for (int i = 0; i < 5; i++) {
            shards.contended(P, HOUR, shards.pick(shards.width(P, HOUR), false));
            shards.announced(P, HOUR, shards.width(P, HOUR).shards(), 0);
        }

        assertThat(shards.width(P, HOUR).shards()).isEqualTo(8);
    }

    @Test
    void announced_readsTheLargestWidthOnShardZero() {
        assertThat(CounterShards.announced(Map.of(CounterShards.ATTRIBUTE, AttributeValue.fromNs(List.of("8", "16", "4"))))).isEqualTo(16);
        assertThat(CounterShards.announced(Map.of("clicks", AttributeValue.fromN("3")))).isZero();
    }

    @Test
    void announced_valueAboveTheLimit_readsAtMostOneBatchGetOfShards() {
        assertThat(CounterShards.announced(Map.of(CounterShards.ATTRIBUTE, AttributeValue.fromNs(List.of("5000")))))
                .isEqualTo(StoreSettings.MAX_COUNTER_SHARDS);
    }

    @Test
    void announcement_isAOneElementNumberSet() {
        assertThat(CounterShards.announcement(8)).isEqualTo(AttributeValue.fromNs(List.of("8")));
    }
}
