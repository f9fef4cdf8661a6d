package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * How a visitor is named in an hour's marker key and event id texts. Each hour is named one way only, so that every
 * writer of the hour agrees on whether a user is new: by the pseudonym under the key that counts the hour, or, for
 * hours counted before pseudonyms (a stack upgraded from clear ids), by the user id, as those writers named them.
 * The table records the first hour of each key ({@link TableLayout#PSEUDONYM_KEYS_KEY}, attribute {@code from_<key id>}):
 * the first writer with a new key sets it, {@value #MARGIN_HOURS} hours ahead, past the hours the writers it replaces
 * can still write (a deploy ends within the hour, and events may be an hour ahead); a table that holds no counts yet
 * starts with its first key at hour 0. What is read in hour L holds for every hour before L + {@value #MARGIN_HOURS} (a
 * key recorded later starts later), so it is read again only for a later hour: a rolled-back writer then learns of the
 * newer key and refuses its hours (503) instead of counting their users again. docs/data-model.md.
 */
public final class VisitorKeys {

    static final int MARGIN_HOURS = 3;
    private static final String FROM = "from_";

    private final DynamoDbClient client;
    private final String tableName;
    private final List<Pseudonyms> keys;
    private final Clock clock;
    private final boolean records;
    private volatile Epochs epochs;

    /** The first hour of each key, as read in hour {@code readIn}: complete for hours before readIn + MARGIN_HOURS. */
    private record Epochs(Hour readIn, NavigableMap<Long, String> keyIdByFirstHour) {

        boolean holds(Hour hour) {
            return hour.index() < readIn.plus(MARGIN_HOURS).index();
        }
    }

    /** A writer's: records its current key's first hour when the table has none for it. */
    public VisitorKeys(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this(client, settings, clock, true);
    }

    private VisitorKeys(DynamoDbClient client, StoreSettings settings, Clock clock, boolean records) {
        this.client = client;
        this.tableName = settings.tableName();
        this.keys = settings.pseudonymKeys();
        this.clock = clock;
        this.records = records;
    }

    /** An operator's: reads the table's record of keys and hours, never changes it. */
    public static VisitorKeys readOnly(DynamoDbClient client, StoreSettings settings, Clock clock) {
        return new VisitorKeys(client, settings, clock, false);
    }

    /** The key of the user's marker of the hour. */
    public String markerKey(Partner partner, Hour hour, String userId) {
        return keyFor(hour).map(key -> TableLayout.markerKey(partner, hour, key.of(partner, userId)))
                .orElseGet(() -> TableLayout.clearMarkerKey(partner, hour, userId));
    }

    /** An event id item's text for the event: equal for two events exactly when they are the same event. */
    public String eventText(Partner partner, AnalyticsEvent event) {
        return TableLayout.eventText(event, keyFor(event.hour()).map(key -> key.of(partner, event.userId())).orElse(event.userId()));
    }

    /** Whether an event id item names this event: a resend of it. */
    public boolean sameEvent(Partner partner, Map<String, AttributeValue> item, AnalyticsEvent event) {
        AttributeValue stored = item == null ? null : item.get(TableLayout.EVENT);
        return stored != null && eventText(partner, event).equals(stored.s());
    }

    /**
     * The key that counts the hour; empty for an hour counted before pseudonyms.
     *
     * @throws StoreUnavailableException when the table cannot be read, or names a key for the hour that this process lacks
     */
    Optional<Pseudonyms> keyFor(Hour hour) {
        var first = epochs(hour).keyIdByFirstHour().floorEntry(hour.index());
        if (first == null) {
            return Optional.empty();
        }
        return Optional.of(keys.stream().filter(key -> key.id().equals(first.getValue())).findFirst()
                .orElseThrow(() -> new StoreUnavailableException("hour " + hour.index() + " is counted with pseudonym key "
                        + first.getValue() + ", which this process was not given (PSEUDONYM_KEY_STAGES)", null)));
    }

    private Epochs epochs(Hour asked) {
        Epochs known = epochs;
        if (known == null || !known.holds(asked)) {
            known = load(Hour.containing(clock.millis()));
            epochs = known;
        }
        return known;
    }

    private Epochs load(Hour now) {
        if (keys.isEmpty()) {
            throw new IllegalStateException("this store has no pseudonym key: it reads counts only");
        }
        Map<String, AttributeValue> key = Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.PSEUDONYM_KEYS_KEY));
        String current = FROM + keys.get(0).id();
        try {
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(tableName).key(key).consistentRead(true)).item();
            if (records && (item == null || !item.containsKey(current))) {
                boolean first = item == null || item.keySet().stream().noneMatch(name -> name.startsWith(FROM));
                long from = first && !holdsCounts() ? 0 : now.plus(MARGIN_HOURS).index();
                // if_not_exists: of writers starting at once, the first to record the key fixes its first hour.
                item = client.updateItem(b -> b.tableName(tableName).key(key)
                        .updateExpression("SET #from = if_not_exists(#from, :from)")
                        .expressionAttributeNames(Map.of("#from", current))
                        .expressionAttributeValues(Map.of(":from", AttributeValue.fromN(Long.toString(from))))
                        .returnValues(ReturnValue.ALL_NEW)).attributes();
            }
            NavigableMap<Long, String> byFirstHour = new TreeMap<>();
            (item == null ? Map.<String, AttributeValue>of() : item).forEach((name, value) -> {
                if (name.startsWith(FROM)) {
                    byFirstHour.put(Long.parseLong(value.n()), name.substring(FROM.length()));
                }
            });
            return new Epochs(now, byFirstHour);
        } catch (SdkException e) {
            throw new StoreUnavailableException("pseudonym keys' hours unavailable", e);
        }
    }

    /**
     * Whether writers of clear ids may have counted in this table: any item but the configuration's. Asked once in a
     * table's life (before its first key is recorded), so a new stack never writes a user id, and an upgraded one
     * keeps the hours it had counted as they were.
     */
    private boolean holdsCounts() {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = client.scan(b -> b.tableName(tableName).projectionExpression(TableLayout.KEY).limit(25).exclusiveStartKey(from));
            if (page.items().stream().anyMatch(item -> !item.get(TableLayout.KEY).s().startsWith("config#"))) {
                return true;
            }
            start = page.hasLastEvaluatedKey() ? new HashMap<>(page.lastEvaluatedKey()) : null;
        } while (start != null);
        return false;
    }
}
