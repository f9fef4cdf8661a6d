package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The exactly-once floor: the store calls the mix needs at least, straight through the SDK (same client settings)
 * at the same concurrency, on a separate table of the same dynalite: a new user-hour's marker and counter update in
 * one TransactWriteItems, at the rate the service sent transactions, else one ADD per POST (a perfect marker
 * cache); one BatchGetItem of every shard per GET.
 */
final class FloorPhase {

    static final String TABLE = "load-floor";

    private final Workload workload;
    private final DynamoDbClient client;
    private final int shards;

    FloorPhase(Workload workload, DynamoDbClient client, int shards) {
        this.workload = workload;
        this.client = client;
        this.shards = shards;
    }

    PhaseResult run(String phase, long requests, double transactionsPerPost, Latencies into) throws Exception {
        LoadConfig config = workload.config;
        AtomicLong issued = new AtomicLong();
        LongAdder done = new LongAdder();
        LongAdder posts = new LongAdder();
        long nanos = workload.runClients(phase, null, config.clients(), done::sum, requests, into, (c, unused) -> {
            SplittableRandom random = workload.random(c);
            Latencies mine = new Latencies();
            while (issued.getAndIncrement() < requests) {
                Hour hour = new Hour(workload.mix.time(random)[1]);
                long start = System.nanoTime();
                if (random.nextDouble() < config.postRatio()) {
                    if (random.nextDouble() >= transactionsPerPost || !countNewUser(hour, workload.mix.user(random))) {
                        addClick(hour);
                    }
                    mine.add("floor " + MixPhase.POST_ROUTE, System.nanoTime() - start);
                    posts.increment();
                } else {
                    readShards(hour);
                    mine.add("floor " + MixPhase.GET_ROUTE, System.nanoTime() - start);
                }
                done.increment();
            }
            return mine;
        });
        return new PhaseResult(done.sum(), posts.sum(), posts.sum(), nanos);
    }

    /** On shard 0, which the floor's transactions never include: a plain ADD never meets one. */
    private void addClick(Hour hour) {
        String key = TableLayout.counterKey(Partner.DEFAULT, hour, 0);
        client.updateItem(b -> b.tableName(TABLE).key(Map.of(TableLayout.KEY, AttributeValue.fromS(key)))
                .updateExpression("ADD clicks :clicks").expressionAttributeValues(Map.of(":clicks", AttributeValue.fromN("1"))));
    }

    private void readShards(Hour hour) {
        var keys = IntStream.range(0, shards).mapToObj(s ->
                Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(Partner.DEFAULT, hour, s)))).toList();
        client.batchGetItem(b -> b.requestItems(Map.of(TABLE,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
    }

    /** The marker and the click in one transaction; false when the marker was there (then the click is a plain ADD). */
    private boolean countNewUser(Hour hour, String user) {
        try {
            client.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(TABLE).conditionExpression("attribute_not_exists(" + TableLayout.KEY + ")")
                            .item(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.markerKey(Partner.DEFAULT, hour, user))))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(TABLE)
                            .key(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(Partner.DEFAULT, hour,
                                    1 + ThreadLocalRandom.current().nextInt(Math.max(1, shards - 1))))))
                            .updateExpression("ADD clicks :one, unique_users :one")
                            .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build()));
            return true;
        } catch (TransactionCanceledException alreadyThereOrConflict) {
            return false;
        }
    }
}
