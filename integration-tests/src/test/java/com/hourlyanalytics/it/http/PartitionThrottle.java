package com.hourlyanalytics.it.http;

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
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * DynamoDB's per-partition limit, which dynalite lacks, scaled down: each counter item (every item whose key
 * starts with {@code hour#}, as if each sat on a partition of its own, the best case of the capacity doc) takes at
 * most {@code writesPerSecond} counter updates (plain, or a transaction's action) and {@code readsPerSecond}
 * strongly consistent reads per calendar second. Past that, the attempt fails before it is sent, with what DynamoDB
 * answers (nothing applied), once per attempt: a plain call's ProvisionedThroughputExceededException, a
 * transaction's cancellation with reason ThrottlingError on the counter's action. The store's retries see what they
 * would see in AWS.
 */
final class PartitionThrottle implements ExecutionInterceptor {

    private static final CancellationReason THROTTLED = CancellationReason.builder().code("ThrottlingError")
            .message("Throughput exceeds the current capacity of your table or index (simulated)").build();
    private static final CancellationReason NONE = CancellationReason.builder().code("None").build();

    private final int writesPerSecond;
    private final int readsPerSecond;
    private final Map<String, LongAdder> used = new ConcurrentHashMap<>();
    final LongAdder throttledAttempts = new LongAdder();
    /**
     * Counter updates that failed for another reason than throttling or a cancellation, typically the 2 s call timeout
     * running out during the retries on a loaded machine: their last attempt may have been applied (a 503 that still
     * counts).
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
            if (!take("w", List.of(update.key()), writesPerSecond)) {
                throw throughputExceeded();
            }
        } else if (request instanceof TransactWriteItemsRequest transaction) {
            List<TransactWriteItem> actions = transaction.transactItems();
            List<Map<String, AttributeValue>> counters = actions.stream().filter(action -> action.update() != null)
                    .map(action -> action.update().key()).toList();
            if (!take("w", counters, writesPerSecond)) {
                List<CancellationReason> reasons = actions.stream().map(action -> action.update() != null
                        && isCounter(action.update().key()) ? THROTTLED : NONE).toList();
                throw TransactionCanceledException.builder().statusCode(400).cancellationReasons(reasons)
                        .message("Transaction cancelled, please refer cancellation reasons for specific reasons "
                                + reasons.stream().map(CancellationReason::code).toList() + " (simulated)")
                        .awsErrorDetails(error("TransactionCanceledException")).build();
            }
        } else if (request instanceof BatchGetItemRequest get) {
            if (!take("r", get.requestItems().values().stream().flatMap(keys -> keys.keys().stream()).toList(), readsPerSecond)) {
                throw throughputExceeded();
            }
        }
    }

    private static ProvisionedThroughputExceededException throughputExceeded() {
        return ProvisionedThroughputExceededException.builder().statusCode(400)
                .message("The level of configured provisioned throughput for the table was exceeded (simulated)")
                .awsErrorDetails(error("ProvisionedThroughputExceededException")).build();
    }

    private static AwsErrorDetails error(String code) {
        return AwsErrorDetails.builder().errorCode(code).serviceName("DynamoDb").build();
    }

    private static boolean isCounter(Map<String, AttributeValue> key) {
        return key.get(TableLayout.KEY).s().startsWith("hour#");
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if ((context.request() instanceof UpdateItemRequest || context.request() instanceof TransactWriteItemsRequest)
                && !(context.exception() instanceof ProvisionedThroughputExceededException)
                && !(context.exception() instanceof TransactionCanceledException)) {
            updatesWithUnknownOutcome.increment();
        }
    }

    /** One unit on each counter item of the call and true, unless one of them is out of units this second. */
    private boolean take(String kind, List<Map<String, AttributeValue>> keys, int limit) {
        long second = System.currentTimeMillis() / 1000;
        List<String> counters = keys.stream().filter(PartitionThrottle::isCounter)
                .map(key -> kind + second + key.get(TableLayout.KEY).s()).toList();
        synchronized (this) {
            if (counters.stream().anyMatch(key -> used.computeIfAbsent(key, k -> new LongAdder()).sum() >= limit)) {
                throttledAttempts.increment();
                return false;
            }
            counters.forEach(key -> used.get(key).increment());
            return true;
        }
    }
}
