package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The keys and attributes of the counter table (single string partition key {@code pk}): hour counter shards
 * {@code hour#<n>[#<s>]} and user-hour markers {@code user#<n>#<userId>}. Why they cannot collide, and what each
 * write and read does with them: docs/data-model.md. Shard 0 keeps the unsharded key, so data written with N = 1
 * stays readable, and holds the hour's {@link ShardCeiling}.
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
