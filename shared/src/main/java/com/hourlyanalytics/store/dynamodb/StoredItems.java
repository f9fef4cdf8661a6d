package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.EventIdConflictException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What a batch reads before it writes anything, strongly consistent, 100 keys a call, each call started only
 * before the deadline: its event ids (so that one reused for another event rejects the batch unchanged, and one
 * already counted is not written again) and its users' markers (so that a transaction holds only markers that are
 * new, instead of being cancelled and sent again without them).
 */
final class StoredItems {

    private static final int KEYS_PER_READ = 100;

    private final CounterReads reads;
    private final VisitorKeys visitors;

    StoredItems(CounterReads reads, VisitorKeys visitors) {
        this.reads = reads;
        this.visitors = visitors;
    }

    /**
     * The events whose ids are not stored yet, and those without ids.
     *
     * @throws EventIdConflictException when a stored id names another event; nothing was written
     */
    List<AnalyticsEvent> notYetCounted(Partner partner, List<AnalyticsEvent> events, Deadline deadline) {
        Map<String, AnalyticsEvent> byKey = new HashMap<>();
        events.stream().filter(event -> event.eventId() != null)
                .forEach(event -> byKey.put(TableLayout.eventIdKey(partner, event.eventId()), event));
        Set<AnalyticsEvent> counted = new HashSet<>();
        for (Map<String, AttributeValue> item : read(byKey.keySet(), deadline)) {
            AnalyticsEvent event = byKey.get(item.get(TableLayout.KEY).s());
            if (!visitors.sameEvent(partner, item, event)) {
                throw EventIdConflictException.nothingStored(event.eventId());
            }
            counted.add(event);
        }
        return counted.isEmpty() ? events : events.stream().filter(event -> !counted.contains(event)).toList();
    }

    /** Those of {@code users} whose marker for the partner's hour exists. */
    Set<String> counted(Partner partner, Hour hour, Collection<String> users, Deadline deadline) {
        Map<String, String> byKey = new HashMap<>();
        users.forEach(user -> byKey.put(visitors.markerKey(partner, hour, user), user));
        Set<String> counted = new HashSet<>();
        read(byKey.keySet(), deadline).forEach(item -> counted.add(byKey.get(item.get(TableLayout.KEY).s())));
        return counted;
    }

    private List<Map<String, AttributeValue>> read(Collection<String> itemKeys, Deadline deadline) {
        List<String> keys = List.copyOf(itemKeys);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
            deadline.check();
            items.addAll(reads.items(keys.subList(from, Math.min(keys.size(), from + KEYS_PER_READ))));
        }
        return items;
    }
}
