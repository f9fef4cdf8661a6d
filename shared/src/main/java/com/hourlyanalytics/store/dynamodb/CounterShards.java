package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How many counter shards a partner-hour spreads over in this container (its width), and which one each write
 * goes to. An hour starts at {@code COUNTER_SHARDS} and doubles, up to {@code COUNTER_SHARD_LIMIT},
 * each time a write picked at the current width meets a transaction conflict on its shard: a quiet hour stays
 * narrow and cheap to read, a contended one spreads until its transactions rarely meet.
 * <p>
 * Reads stay exact whatever width each writer (or function version) uses: shard 0, which every reader reads, holds
 * {@value #ATTRIBUTE}, the number set of the widths writers used. Past width 1, a writer announces its width there
 * ({@code ADD writer_shards {W}}: a set union, no condition) and writes past shard 0 only once that announcement
 * has succeeded; a reader with M shards reads [0, M) and, when shard 0 says more, the rest. Past width 1,
 * transactions never include shard 0, so announcements and plain adds there never meet one. docs/capacity.md.
 */
final class CounterShards {

    static final String ATTRIBUTE = "writer_shards";
    static final String PLACEHOLDER = ":" + ATTRIBUTE;
    /** Partner-hours whose width this container remembers; a forgotten one costs one more announcement. */
    static final int REMEMBERED_HOURS = 1_024;

    /** A write's shard, and the width it was picked at: a conflict there grows the hour past that width only. */
    record Pick(int shard, int width) {
    }

    /** The hour's width in this container, and whether it is on record in shard 0 yet. */
    record Width(int shards, boolean announced) {
    }

    private final int startWidth;
    private final int limit;
    private final Spread spread;
    /** By the key of the partner-hour's shard 0. */
    private final Map<String, Width> widths = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Width> eldest) {
            return size() > REMEMBERED_HOURS;
        }
    };

    CounterShards(int startWidth, int limit, Spread spread) {
        this.startWidth = startWidth;
        this.limit = limit;
        this.spread = spread;
    }

    /** The hour's width; one of width 1 needs no announcement, since every reader reads shard 0. */
    Width width(Partner partner, Hour hour) {
        synchronized (widths) {
            return widths.getOrDefault(TableLayout.counterKey(partner, hour), new Width(startWidth, startWidth == 1));
        }
    }

    /** Call once shard 0 holds the announcement of {@code width}; {@code largest} is the largest width it holds. */
    void announced(Partner partner, Hour hour, int width, int largest) {
        synchronized (widths) {
            widths.merge(TableLayout.counterKey(partner, hour), new Width(Math.max(width, largest), true),
                    (old, now) -> old.shards() > now.shards() ? old : now);
        }
    }

    /** A shard of an announced width: any for a plain add; past width 1, never shard 0 for a transaction. */
    Pick pick(Width width, boolean transactional) {
        int from = transactional && width.shards() > 1 ? 1 : 0;
        return new Pick(spread.next(from, width.shards()), width.shards());
    }

    /**
     * The shard of a batch's {@code slot}-th concurrent transaction: distinct slots get distinct shards (past shard 0)
     * while the width allows, so one batch's writers do not meet each other.
     */
    Pick slot(Width width, int slot) {
        return width.shards() == 1 ? new Pick(0, 1) : new Pick(1 + Math.floorMod(slot, width.shards() - 1), width.shards());
    }

    /** Widens the hour to at least {@code shards} (within the limit) before a batch's writers fan out over it. */
    void widen(Partner partner, Hour hour, int shards) {
        int wanted = Math.min(shards, limit);
        synchronized (widths) {
            if (width(partner, hour).shards() < wanted) {
                widths.put(TableLayout.counterKey(partner, hour), new Width(wanted, false));
            }
        }
    }

    /** A write picked at {@code pick} met a conflict: double the hour's width, unless another conflict already did. */
    void contended(Partner partner, Hour hour, Pick pick) {
        int grown = Math.min(pick.width() * 2, limit);
        synchronized (widths) {
            Width now = width(partner, hour);
            if (now.shards() == pick.width() && grown > now.shards()) {
                widths.put(TableLayout.counterKey(partner, hour), new Width(grown, false));
            }
        }
    }

    /** The value of {@link #PLACEHOLDER} announcing {@code width}: a one-element number set. */
    static AttributeValue announcement(int width) {
        return AttributeValue.fromNs(List.of(Integer.toString(width)));
    }

    /** The widest any writer of the hour announced, from its shard-0 item (or an update's new values); 0 when none. */
    static int announced(Map<String, AttributeValue> shardZero) {
        AttributeValue value = shardZero == null ? null : shardZero.get(ATTRIBUTE);
        if (value == null || !value.hasNs()) {
            return 0;
        }
        return value.ns().stream().mapToInt(Integer::parseInt).map(n -> Math.min(n, StoreSettings.MAX_COUNTER_SHARDS)).max().orElse(0);
    }
}
