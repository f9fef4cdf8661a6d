package com.hourlyanalytics.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Ranks 1..n drawn with probability proportional to 1/rank^s: a few users send most events, as in real traffic. */
public final class Zipf {

    private final double[] cumulative;

    public Zipf(int n, double s) {
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += 1 / Math.pow(rank, s);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= sum;
        }
    }

    public int next(SplittableRandom random) {
        int index = Arrays.binarySearch(cumulative, random.nextDouble());
        return (index >= 0 ? index : -index - 1) + 1;
    }
}
