package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SpreadTest {

    private static List<Integer> picks(Spread spread) {
        return IntStream.range(0, 64).mapToObj(i -> spread.next(0, 100)).toList();
    }

    @Test
    void reseed_twoPickersRestoredFromOneSnapshotState_divergeAfterwards() {
        Spread containerA = new Spread(42);
        Spread containerB = new Spread(42);
        assertThat(picks(containerA)).isEqualTo(picks(containerB)); // what every restored container did before

        containerA.reseed();
        containerB.reseed();

        assertThat(picks(containerA)).isNotEqualTo(picks(containerB)); // equal by chance: 1 in 100^64
    }

    @Test
    void next_staysWithinTheShardsAndReachesEachOfThem() {
        Spread spread = new Spread();

        assertThat(IntStream.range(0, 1_000).map(i -> spread.next(0, 4)).distinct().sorted().toArray())
                .containsExactly(0, 1, 2, 3); // a shard left out of 1,000 picks: odds 4 * (3/4)^1000
    }
}
