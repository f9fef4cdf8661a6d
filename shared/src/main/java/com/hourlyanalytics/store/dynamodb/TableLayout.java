package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The items of the counter table, which has a single string partition key {@code pk}:
 * <ul>
 *   <li>{@code hour#<n>} and, with N counter shards, {@code hour#<n>#<s>} for s in 1..N-1: the hour's counter
 *   items, attributes {@code unique_users}, {@code clicks}, {@code impressions}. A write goes to one shard at
 *   random; a read sums all N. Shard 0 keeps the unsharded key, so data written with N = 1 stays readable, and
 *   holds the hour's {@link ShardCeiling}, so a reader with fewer shards than a writer still reads them all.</li>
 *   <li>{@code user#<n>#<userId>}: a marker that the user was seen in hour n, with {@code expires_at}
 *   (epoch seconds, the table's TTL attribute) when markers have a retention.</li>
 * </ul>
 * Keys cannot collide: the prefixes differ, n and s are digits only, and the user id is the rest of the
 * marker key verbatim. Each marker is its own partition; the N counter items share the hot hour's writes.
 */
public final class TableLayout {

    public static final String KEY = "pk";
    public static final String UNIQUE_USERS = "unique_users";
    public static final String CLICKS = "clicks";
    public static final String IMPRESSIONS = "impressions";
    public static final String EXPIRES_AT = "expires_at";

    /**
     * Added to a marker's expiry so that it outlives every event the validator can still accept for its
     * hour: one accepted at the last instant of the retention reaches the store within the 2 s call timeout.
     */
    static final Duration MARKER_EXPIRY_GRACE = Duration.ofHours(1);
    /** Priming's key: neither {@code hour#} nor {@code user#}, so never a counter or a marker. */
    static final String PRIMING_KEY = "priming#";

    private TableLayout() {
    }

    public static String counterKey(Hour hour) {
        return "hour#" + hour.index();
    }

    public static String counterKey(Hour hour, int shard) {
        return shard == 0 ? counterKey(hour) : counterKey(hour) + "#" + shard;
    }

    /** The keys of shards [from, to) of the hour's counter. */
    static List<String> counterKeys(Hour hour, int from, int to) {
        return IntStream.range(from, to).mapToObj(shard -> counterKey(hour, shard)).toList();
    }

    public static String markerKey(Hour hour, String userId) {
        return "user#" + hour.index() + "#" + userId;
    }

    /** Epoch seconds after which DynamoDB may delete the marker. */
    public static long markerExpiresAt(Hour hour, Duration retention) {
        return hour.plus(1).startMillis() / 1000 + retention.toSeconds() + MARKER_EXPIRY_GRACE.toSeconds();
    }
}
