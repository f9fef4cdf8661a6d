package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The keys and attributes of the counter table (single string partition key {@code pk}): hour counter shards
 * {@code <scope>hour#<n>[#<s>]}, user-hour markers {@code <scope>visitor#<n>#<pseudonym>} (and, for hours counted
 * before pseudonyms, {@code <scope>user#<n>#<userId>}: {@link VisitorKeys} says which) and event ids
 * {@code <scope>event#<eventId>}, where the scope is
 * {@code p#<escaped partner id>#} for a named partner and empty for {@link Partner#DEFAULT} (so data written before
 * keys were scoped reads as the default partner's). Why no two can collide, and what each write and read does
 * with them: docs/data-model.md. Shard 0 keeps the unsharded key, so data written with N = 1 stays readable, and
 * holds the hour's {@link CounterShards}.
 */
public final class TableLayout {

    public static final String KEY = "pk";
    public static final String UNIQUE_USERS = "unique_users";
    public static final String CLICKS = "clicks";
    public static final String IMPRESSIONS = "impressions";
    public static final String EXPIRES_AT = "expires_at";
    /** An event id item's event: {@code timestamp,type,visitor}, compared with a resend's. */
    public static final String EVENT = "event";

    /**
     * Added to a marker's expiry so that it outlives every event the validator can still accept for its
     * hour: one accepted at the last instant of the retention reaches the store within the 2 s call timeout.
     */
    static final Duration MARKER_EXPIRY_GRACE = Duration.ofHours(1);
    /** The one item of {@link RetentionFloor}: neither a counter, a marker nor an event id. */
    static final String RETENTION_FLOOR_KEY = "config#marker-retention";
    /** The one item of {@link VisitorKeys}: which pseudonym key counts which hours. */
    static final String PSEUDONYM_KEYS_KEY = "config#pseudonym-keys";
    /** Priming's key: none of {@code hour#}, {@code user#} and {@code p#}, so never a counter or a marker. */
    static final String PRIMING_KEY = "priming#";

    private TableLayout() {
    }

    public static String counterKey(Partner partner, Hour hour) {
        return scope(partner) + "hour#" + hour.index();
    }

    public static String counterKey(Partner partner, Hour hour, int shard) {
        return shard == 0 ? counterKey(partner, hour) : counterKey(partner, hour) + "#" + shard;
    }

    /** The keys of shards [from, to) of the partner's counter of the hour. */
    static List<String> counterKeys(Partner partner, Hour hour, int from, int to) {
        return IntStream.range(from, to).mapToObj(shard -> counterKey(partner, hour, shard)).toList();
    }

    /** The marker of a visitor by pseudonym ({@link Pseudonyms#of}: base64url, no {@code #}). */
    public static String markerKey(Partner partner, Hour hour, String pseudonym) {
        return scope(partner) + "visitor#" + hour.index() + "#" + pseudonym;
    }

    /** The marker of an hour counted before pseudonyms: the user id verbatim, as the writers of then keyed it. */
    public static String clearMarkerKey(Partner partner, Hour hour, String userId) {
        return scope(partner) + "user#" + hour.index() + "#" + userId;
    }

    /** The partner's record of one event id: what a resend with that id is checked against. */
    public static String eventIdKey(Partner partner, String eventId) {
        return scope(partner) + "event#" + eventId;
    }

    /**
     * An event id item's {@link #EVENT}: the visitor (the pseudonym, or the user id of an hour counted before
     * pseudonyms) last, verbatim, so the text maps back to one event.
     */
    static String eventText(AnalyticsEvent event, String visitor) {
        return event.timestampMillis() + "," + event.type().wireName() + "," + visitor;
    }

    /**
     * Empty for the default partner; else {@code p#} and the id with {@code %} and {@code #} percent-escaped, so the
     * scope holds no {@code #} but its last and maps back to exactly one id.
     */
    static String scope(Partner partner) {
        return partner.isDefault() ? "" : "p#" + partner.id().replace("%", "%25").replace("#", "%23") + "#";
    }

    /** Epoch seconds after which DynamoDB may delete the marker. */
    public static long markerExpiresAt(Hour hour, Duration retention) {
        return hour.plus(1).startMillis() / 1000 + retention.toSeconds() + MARKER_EXPIRY_GRACE.toSeconds();
    }
}
