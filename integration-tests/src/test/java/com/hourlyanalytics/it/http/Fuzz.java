package com.hourlyanalytics.it.http;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * A seeded source of random test input. One run draws everything from one seed, so the same seed (and
 * the same code) replays the same inputs in the same order: {@code -Dfuzz.seed=N} reproduces a failure,
 * {@code -Dfuzz.tries=N} changes how many inputs a fuzz test tries.
 */
final class Fuzz {

    /** Fixed so a build is repeatable; a different seed is a command-line flag away. */
    static final long DEFAULT_SEED = 20_240_601L;

    /** One option of {@link #weighted}: drawn with probability weight / (sum of the weights). */
    record Choice<T>(int weight, T value) {
        Choice {
            if (weight <= 0) {
                throw new IllegalArgumentException("weight must be positive: " + weight);
            }
        }
    }

    private final long seed;
    private final SplittableRandom random;

    Fuzz(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** Seeded from {@code -Dfuzz.seed}, else {@link #DEFAULT_SEED}. */
    static Fuzz fromSystemProperties() {
        return new Fuzz(Long.getLong("fuzz.seed", DEFAULT_SEED));
    }

    /** {@code -Dfuzz.tries}, else the test's own default. */
    static int tries(int defaultTries) {
        return Integer.getInteger("fuzz.tries", defaultTries);
    }

    static <T> Choice<T> choice(int weight, T value) {
        return new Choice<>(weight, value);
    }

    long seed() {
        return seed;
    }

    /** Uniform in [min, max], both included. */
    int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    <T> T oneOf(List<? extends T> values) {
        return values.get(random.nextInt(values.size()));
    }

    <T> T weighted(List<Choice<T>> choices) {
        int total = choices.stream().mapToInt(Choice::weight).sum();
        int draw = random.nextInt(total);
        for (Choice<T> choice : choices) {
            draw -= choice.weight();
            if (draw < 0) {
                return choice.value();
            }
        }
        throw new AssertionError("unreachable: the draw is below the sum of the weights");
    }

    /** A list of between {@code minSize} and {@code maxSize} elements (uniform), each drawn by {@code element}. */
    <T> List<T> listOf(int minSize, int maxSize, Supplier<? extends T> element) {
        int size = between(minSize, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    /** A new list with the elements of {@code values} in random order (Fisher-Yates). */
    <T> List<T> shuffled(List<? extends T> values) {
        List<T> list = new ArrayList<>(values);
        for (int i = list.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
        return list;
    }
}
