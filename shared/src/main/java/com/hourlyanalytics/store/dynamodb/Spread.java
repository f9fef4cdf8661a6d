package com.hourlyanalytics.store.dynamodb;

import java.security.SecureRandom;
import java.util.Random;

/**
 * The random picks that spread one container's writes, and its retries, apart from other containers': which
 * counter shard a write goes to, how long a retry waits. Its state is part of a SnapStart snapshot, so every
 * container restored from one snapshot would pick the same sequence (as {@code ThreadLocalRandom} would, whose
 * seeder is in the snapshot too) and pile onto the same shard at the same moments: {@link #reseed} takes fresh
 * entropy after a restore. Uniform spread is all it needs; unpredictability is not a goal.
 */
final class Spread {

    private final Random random;

    Spread() {
        this(new SecureRandom().nextLong());
    }

    /** A spread in a known state: what two containers restored from one snapshot start with. */
    Spread(long seed) {
        this.random = new Random(seed);
    }

    /** A number in [from, to). Thread-safe: a batch writes several hours at once. */
    int next(int from, int to) {
        return from + random.nextInt(to - from);
    }

    /** A SecureRandom made now, after the restore, seeds from the OS entropy this container has, not the snapshot's. */
    void reseed() {
        random.setSeed(new SecureRandom().nextLong());
    }
}
