package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Commits a {@link TransactionGroup} as one TransactWriteItems: its markers and event ids, each on condition that it
 * is new, and its counter update; so a marker never exists without its user counted, nor an event id without its
 * event. A cancelled transaction applied nothing; what its reasons say decides the next attempt:
 * <ul>
 *   <li>a marker already there: that user is counted already (its events stay, as a known user's);</li>
 *   <li>an event id stored for the same event: counted already, dropped; for another event: dropped and reported
 *       to {@code onIdConflict} (the request answers 422), the rest of the group still counts;</li>
 *   <li>a conflict with another transaction, or throttling: sent again after a {@link ConflictBackoff}, its counter
 *       update on a freshly picked shard (and the hour grows when the counter was the item in conflict).</li>
 * </ul>
 * It only writes: what the caller learns of stored markers comes back in {@link Committed}.
 */
final class GroupCommit {

    /** Cancellation reasons that applied nothing and say nothing about the item: worth another attempt. */
    private static final Set<String> RETRYABLE = Set.of("None", "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    /** The users a commit counted as new, and those whose markers it found stored already (counted before). */
    record Committed(Set<String> newUsers, Set<String> foundStored) {

        Committed plus(Committed later) {
            Set<String> added = new HashSet<>(newUsers);
            added.addAll(later.newUsers);
            Set<String> found = new HashSet<>(foundStored);
            found.addAll(later.foundStored);
            return new Committed(added, found);
        }
    }

    private final DynamoDbClient client;
    private final CounterWrites counters;
    private final ConflictBackoff backoff;
    private final VisitorKeys visitors;
    private final GroupActions actions;

    GroupCommit(DynamoDbClient client, StoreSettings settings, VisitorKeys visitors, CounterWrites counters,
                ConflictBackoff backoff, Clock clock) {
        this.client = client;
        this.counters = counters;
        this.backoff = backoff;
        this.visitors = visitors;
        this.actions = new GroupActions(settings, visitors, clock);
    }

    /**
     * Commits the group, retrying as the class says. Users whose marker or
     * event id met another transaction (a concurrent batch with the same users) commit apart, after the rest: by
     * then the other has usually committed those items, so they are dropped as already there instead of holding the
     * whole group back.
     */
    Committed commit(Partner partner, TransactionGroup group, Deadline deadline, Consumer<AnalyticsEvent> onIdConflict) {
        TransactionGroup deferred = new TransactionGroup(group.hour);
        Committed committed = commitAlone(partner, group, deadline, onIdConflict, deferred);
        if (deferred.isEmpty()) {
            return committed;
        }
        backoff.pause(1, deadline);
        return committed.plus(commit(partner, deferred, deadline, onIdConflict));
    }

    private Committed commitAlone(Partner partner, TransactionGroup group, Deadline deadline, Consumer<AnalyticsEvent> onIdConflict,
                                  TransactionGroup deferred) {
        Set<String> foundStored = new HashSet<>();
        for (int conflicts = 0; ; ) {
            if (group.actions() == 1) {
                HourCounts delta = group.delta();
                if (!delta.equals(HourCounts.EMPTY)) {
                    counters.add(partner, group.hour, delta, deadline);
                }
                return new Committed(Set.of(), foundStored);
            }
            // After a conflict, a fresh random shard: the slot's shard is where it met another transaction.
            OptionalInt slot = conflicts == 0 ? group.slot : OptionalInt.empty();
            GroupActions.Transaction transaction = actions.of(partner, group,
                    () -> counters.transactional(partner, group.hour, group.delta(), slot, deadline));
            CounterWrites.Update update = transaction.update();
            List<Object> subjects = transaction.subjects();
            try {
                send(TransactWriteItemsRequest.builder().transactItems(transaction.actions())
                        .clientRequestToken(UUID.randomUUID().toString()).build(), deadline);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (reasons == null || reasons.size() != transaction.actions().size()) {
                    throw new StoreUnavailableException("transaction cancelled without a reason per action", e);
                }
                if ("TransactionConflict".equals(reasons.getLast().code())) {
                    counters.contended(partner, group.hour, update);
                }
                boolean progress = dropWhatWasThere(partner, group, subjects, reasons, onIdConflict, foundStored)
                        || deferConflicting(group, subjects, reasons, deferred);
                if (!progress) {
                    if (!reasons.stream().allMatch(reason -> RETRYABLE.contains(reason.code()))) {
                        throw new StoreUnavailableException("transaction cancelled", e);
                    }
                    backoff.pause(++conflicts, deadline);
                }
                continue;
            } catch (SdkException e) {
                throw new StoreUnavailableException("transaction failed", e);
            }
            return new Committed(Set.copyOf(group.newUsers), foundStored);
        }
    }

    /**
     * Sends the transaction, and once more with the same token when its answer was lost (an attempt timeout, a
     * broken connection): DynamoDB applies a token once within 10 minutes, so the resend finds it applied (success)
     * or in progress (retried by the client as throttling) or applies it, and never counts twice.
     */
    private void send(TransactWriteItemsRequest transaction, Deadline deadline) {
        deadline.check();
        try {
            client.transactWriteItems(transaction);
        } catch (SdkClientException lost) {
            deadline.check();
            client.transactWriteItems(transaction);
        }
    }

    /**
     * Moves the users whose marker or event id met another transaction into {@code deferred}, unless that would leave
     * nothing here; true when it moved any.
     */
    private static boolean deferConflicting(TransactionGroup group, List<Object> subjects, List<CancellationReason> reasons,
                                            TransactionGroup deferred) {
        Set<String> users = new HashSet<>();
        for (int i = 0; i < subjects.size(); i++) {
            if ("TransactionConflict".equals(reasons.get(i).code())) {
                users.add(subjects.get(i) instanceof AnalyticsEvent event ? event.userId() : (String) subjects.get(i));
            }
        }
        boolean allOfThem = group.newUsers.stream().allMatch(users::contains)
                && group.events.stream().allMatch(event -> users.contains(event.userId()));
        if (users.isEmpty() || allOfThem) {
            return false;
        }
        group.moveUsers(users, deferred);
        return true;
    }

    /** True when the reasons showed items that were there, now dropped from the group (progress: no backoff). */
    private boolean dropWhatWasThere(Partner partner, TransactionGroup group, List<Object> subjects,
                                     List<CancellationReason> reasons, Consumer<AnalyticsEvent> onIdConflict,
                                     Set<String> foundStored) {
        boolean dropped = false;
        for (int i = 0; i < subjects.size(); i++) {
            if (!"ConditionalCheckFailed".equals(reasons.get(i).code())) {
                continue;
            }
            if (subjects.get(i) instanceof AnalyticsEvent event) {
                if (!visitors.sameEvent(partner, reasons.get(i).item(), event)) {
                    onIdConflict.accept(event);
                    group.drop(event);
                } else {
                    group.events.remove(event);
                }
            } else {
                String user = (String) subjects.get(i);
                group.newUsers.remove(user);
                foundStored.add(user);
            }
            dropped = true;
        }
        return dropped;
    }
}
