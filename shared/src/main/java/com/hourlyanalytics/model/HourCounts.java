package com.hourlyanalytics.model;

/** What GET answers for one hour. */
public record HourCounts(long uniqueUsers, long clicks, long impressions) {

    public static final HourCounts EMPTY = new HourCounts(0, 0, 0);

    /** The events' clicks and impressions; no unique users, which only the store can tell. */
    public static HourCounts of(Iterable<AnalyticsEvent> events) {
        long clicks = 0;
        long impressions = 0;
        for (AnalyticsEvent event : events) {
            switch (event.type()) {
                case CLICK -> clicks++;
                case IMPRESSION -> impressions++;
            }
        }
        return new HourCounts(0, clicks, impressions);
    }

    public HourCounts plus(HourCounts other) {
        return new HourCounts(uniqueUsers + other.uniqueUsers, clicks + other.clicks, impressions + other.impressions);
    }
}
