package com.hourlyanalytics.client;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** What {@code GET /analytics?timestamp=...} answers for an hour. */
public final class HourCounts {

    private final long uniqueUsers;
    private final long clicks;
    private final long impressions;

    public HourCounts(long uniqueUsers, long clicks, long impressions) {
        this.uniqueUsers = uniqueUsers;
        this.clicks = clicks;
        this.impressions = impressions;
    }

    /** The body {@code unique_users,N\nclicks,N\nimpressions,N\n}. */
    static HourCounts parse(String body) {
        Map<String, Long> values = new HashMap<>();
        for (String line : body.split("\n")) {
            int comma = line.indexOf(',');
            if (comma > 0) {
                try {
                    values.put(line.substring(0, comma), Long.parseLong(line.substring(comma + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a count in the answer: " + line, e);
                }
            }
        }
        for (String name : new String[] {"unique_users", "clicks", "impressions"}) {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("the answer has no " + name + " line");
            }
        }
        return new HourCounts(values.get("unique_users"), values.get("clicks"), values.get("impressions"));
    }

    public long uniqueUsers() {
        return uniqueUsers;
    }

    public long clicks() {
        return clicks;
    }

    public long impressions() {
        return impressions;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof HourCounts)) {
            return false;
        }
        HourCounts that = (HourCounts) other;
        return uniqueUsers == that.uniqueUsers && clicks == that.clicks && impressions == that.impressions;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uniqueUsers, clicks, impressions);
    }

    @Override
    public String toString() {
        return "unique_users=" + uniqueUsers + ", clicks=" + clicks + ", impressions=" + impressions;
    }
}
