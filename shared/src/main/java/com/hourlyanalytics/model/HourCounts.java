package com.hourlyanalytics.model;

/** What GET answers for one hour. */
public record HourCounts(long uniqueUsers, long clicks, long impressions) {

    public static final HourCounts EMPTY = new HourCounts(0, 0, 0);

    public HourCounts plus(HourCounts other) {
        return new HourCounts(uniqueUsers + other.uniqueUsers, clicks + other.clicks, impressions + other.impressions);
    }
}
