package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The same store calls the mix made, straight through the SDK (same client settings) at the same concurrency,
 * on a separate table of the same dynalite: marker puts at the rate the service made them, one ADD per POST,
 * one BatchGetItem of every shard per GET.
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

    PhaseResult run(String phase, long requests, double putsPerPost, Latencies into) throws Exception {
        LoadConfig config = workload.config;
        Zipf zipf = new Zipf(config.users(), config.zipfExponent());
        AtomicLong issued = new AtomicLong();
        LongAdder done = new LongAdder();
        LongAdder posts = new LongAdder();
        long nanos = workload.runClients(phase, null, config.clients(), done::sum, requests, into, (c, unused) -> {
            SplittableRandom random = workload.random(c);
            Latencies mine = new Latencies();
            while (issued.getAndIncrement() < requests) {
                Hour hour = new Hour(workload.pickTime(random)[1]);
                long start = System.nanoTime();
                if (random.nextDouble() < config.postRatio()) {
                    if (random.nextDouble() < putsPerPost) {
                        putMarker(hour, "user-" + zipf.next(random));
                    }
                    addClick(hour);
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

    private void addClick(Hour hour) {
        String key = TableLayout.counterKey(Partner.DEFAULT, hour, ThreadLocalRandom.current().nextInt(shards));
        client.updateItem(b -> b.tableName(TABLE).key(Map.of(TableLayout.KEY, AttributeValue.fromS(key)))
                .updateExpression("ADD clicks :clicks").expressionAttributeValues(Map.of(":clicks", AttributeValue.fromN("1"))));
    }

    private void readShards(Hour hour) {
        var keys = IntStream.range(0, shards).mapToObj(s ->
                Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(Partner.DEFAULT, hour, s)))).toList();
        client.batchGetItem(b -> b.requestItems(Map.of(TABLE,
                KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
    }

    private void putMarker(Hour hour, String user) {
        try {
            client.putItem(b -> b.tableName(TABLE)
                    .item(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.markerKey(Partner.DEFAULT, hour, user))))
                    .conditionExpression("attribute_not_exists(" + TableLayout.KEY + ")"));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // As in the service: the user was already counted in that hour.
        }
    }
}
