package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Keeps every read of an hour covering every shard written, whatever {@code COUNTER_SHARDS} each function
 * version runs with (ingest and query deploy and roll back separately). Shard 0, which every reader reads, holds
 * {@value #ATTRIBUTE}: the number set of the shard counts its writers used. A writer with N > 1 shards sends its
 * first write of an hour to shard 0 with {@code ADD writer_shards {N}} in the same update (a set union: no
 * condition, no extra write); only once that update has succeeded does this container spread that hour's
 * writes over all N shards. A reader with M shards reads [0, M) and, when shard 0 says some writer used more,
 * the rest up to that ceiling. See docs/capacity.md, Changing N.
 */
final class ShardCeiling {

    static final String ATTRIBUTE = "writer_shards";
    static final String PLACEHOLDER = ":" + ATTRIBUTE;
    /** Partner-hours whose announcement this container remembers; a forgotten one only costs one more write to shard 0. */
    static final int REMEMBERED_HOURS = 1_024;

    /** Where one counter write goes, and whether it carries this container's shard count. */
    record Write(int shard, boolean announces) {
    }

    private final int shards;
    private final ShardPicker picker;
    private final AttributeValue announcement;
    /** By the key of the partner-hour's shard 0. */
    private final Map<String, Boolean> announced = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_HOURS;
        }
    };

    ShardCeiling(int shards, ShardPicker picker) {
        this.shards = shards;
        this.picker = picker;
        this.announcement = AttributeValue.fromNs(List.of(Integer.toString(shards)));
    }

    /** Shard 0 with the announcement until this container has one on record for the partner's hour; then any shard. */
    Write write(Partner partner, Hour hour) {
        if (shards == 1) {
            return new Write(0, false);
        }
        synchronized (announced) {
            if (announced.get(TableLayout.counterKey(partner, hour)) == null) {
                return new Write(0, true);
            }
        }
        return new Write(picker.next(shards), false);
    }

    /** Call once the write has succeeded: only a durable announcement lets writes go past a smaller reader's shards. */
    void written(Partner partner, Hour hour, Write write) {
        if (write.announces()) {
            synchronized (announced) {
                announced.put(TableLayout.counterKey(partner, hour), Boolean.TRUE);
            }
        }
    }

    /** The value of {@link #PLACEHOLDER} in an announcing update: this container's N, as a one-element number set. */
    AttributeValue announcement() {
        return announcement;
    }

    /** The most shards any writer of the hour used, from its shard-0 item; 0 when none announced. */
    static int of(Map<String, AttributeValue> shardZero) {
        AttributeValue value = shardZero.get(ATTRIBUTE);
        if (value == null || !value.hasNs()) {
            return 0;
        }
        return value.ns().stream().mapToInt(Integer::parseInt).map(n -> Math.min(n, StoreSettings.MAX_COUNTER_SHARDS)).max().orElse(0);
    }
}
