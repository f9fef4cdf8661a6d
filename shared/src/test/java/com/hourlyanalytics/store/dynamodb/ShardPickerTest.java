package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardPickerTest {

    private static List<Integer> picks(ShardPicker picker) {
        return IntStream.range(0, 64).mapToObj(i -> picker.next(100)).toList();
    }

    @Test
    void reseed_twoPickersRestoredFromOneSnapshotState_divergeAfterwards() {
        ShardPicker containerA = new ShardPicker(42);
        ShardPicker containerB = new ShardPicker(42);
        assertThat(picks(containerA)).isEqualTo(picks(containerB)); // what every restored container did before

        containerA.reseed();
        containerB.reseed();

        assertThat(picks(containerA)).isNotEqualTo(picks(containerB)); // equal by chance: 1 in 100^64
    }

    @Test
    void next_staysWithinTheShardsAndReachesEachOfThem() {
        ShardPicker picker = new ShardPicker();

        assertThat(IntStream.range(0, 1_000).map(i -> picker.next(4)).distinct().sorted().toArray())
                .containsExactly(0, 1, 2, 3); // a shard left out of 1,000 picks: odds 4 * (3/4)^1000
    }
}
