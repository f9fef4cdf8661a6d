package com.hourlyanalytics.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Figures collected per table row over the runs; the benchmarks print their medians. */
public final class Samples {

    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();

    /** Keeps each named figure of one run's result. */
    public void add(String row, Map<String, String> result, List<String> figures) {
        for (String figure : figures) {
            values.computeIfAbsent(row, r -> new LinkedHashMap<>())
                    .computeIfAbsent(figure, f -> new ArrayList<>())
                    .add(Double.parseDouble(result.get(figure)));
        }
    }

    public String median(String row, String figure) {
        return Stats.format(Stats.median(values.get(row).get(figure)));
    }
}
