package com.hourlyanalytics.local;

import com.hourlyanalytics.store.dynamodb.TableLayout;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * DynamoDB's per-partition limit, which dynalite lacks, scaled down: each counter item (every item whose key
 * starts with {@code hour#}, as if each sat on a partition of its own, the best case of the capacity doc) takes at
 * most {@code writesPerSecond} counter updates and {@code readsPerSecond} strongly consistent reads per calendar
 * second. Past that, the attempt fails before it is sent, with the exception DynamoDB gives (nothing applied),
 * once per attempt: the store's retry policy sees what it would see in AWS.
 */
final class PartitionThrottle implements ExecutionInterceptor {

    private final int writesPerSecond;
    private final int readsPerSecond;
    private final Map<String, LongAdder> used = new ConcurrentHashMap<>();
    final LongAdder throttledAttempts = new LongAdder();
    /**
     * Counter updates that failed for another reason than throttling, typically the 2 s call timeout running out
     * during the retries on a loaded machine: their last attempt may have been applied (a 503 that still counts).
     */
    final LongAdder updatesWithUnknownOutcome = new LongAdder();

    PartitionThrottle(int writesPerSecond, int readsPerSecond) {
        this.writesPerSecond = writesPerSecond;
        this.readsPerSecond = readsPerSecond;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof UpdateItemRequest update) {
            take("w", List.of(update.key()), writesPerSecond);
        } else if (request instanceof BatchGetItemRequest get) {
            take("r", get.requestItems().values().stream().flatMap(keys -> keys.keys().stream()).toList(), readsPerSecond);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof UpdateItemRequest && !(context.exception() instanceof ProvisionedThroughputExceededException)) {
            updatesWithUnknownOutcome.increment();
        }
    }

    /** One unit on each counter item of the call, unless one of them is out of units this second. */
    private void take(String kind, List<Map<String, AttributeValue>> keys, int limit) {
        long second = System.currentTimeMillis() / 1000;
        List<String> counters = keys.stream().map(key -> key.get(TableLayout.KEY).s())
                .filter(key -> key.startsWith("hour#")).map(key -> kind + second + key).toList();
        synchronized (this) {
            if (counters.stream().anyMatch(key -> used.computeIfAbsent(key, k -> new LongAdder()).sum() >= limit)) {
                throttledAttempts.increment();
                throw ProvisionedThroughputExceededException.builder().statusCode(400)
                        .message("The level of configured provisioned throughput for the table was exceeded (simulated)")
                        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                                .serviceName("DynamoDb").build())
                        .build();
            }
            counters.forEach(key -> used.get(key).increment());
        }
    }
}
