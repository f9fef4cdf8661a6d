package com.hourlyanalytics.store.dynamodb;

import java.security.SecureRandom;
import java.util.Random;

/**
 * Picks the counter shard of each write. Its state is part of a SnapStart snapshot, so every container restored
 * from one snapshot would pick the same shard sequence (as {@code ThreadLocalRandom} would, whose seeder is in
 * the snapshot too) and pile onto the same shard at the same moments: {@link #reseed} takes fresh entropy after
 * a restore. Uniform spread is all it needs; unpredictability is not a goal.
 */
final class ShardPicker {

    private final Random random;

    ShardPicker() {
        this(new SecureRandom().nextLong());
    }

    /** A picker in a known state: what two containers restored from one snapshot start with. */
    ShardPicker(long seed) {
        this.random = new Random(seed);
    }

    /** A shard in [0, shards). Thread-safe: a batch writes several hours at once. */
    int next(int shards) {
        return random.nextInt(shards);
    }

    /** A SecureRandom made now, after the restore, seeds from the OS entropy this container has, not the snapshot's. */
    void reseed() {
        random.setSeed(new SecureRandom().nextLong());
    }
}
