package com.hourlyanalytics.bench.contention;

import com.hourlyanalytics.bench.cost.ContainerStoreCounter;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The store's calls as its client sees them, summed over a phase: calls by operation, those that met a transaction
 * conflict (a plain write rejected, a transaction cancelled: each one a retry the store made), and the write units
 * consumed, a cancelled transaction counted at what it would have cost (as docs/cost.md does).
 */
final class StoreCalls implements ExecutionInterceptor {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder conflicted = new LongAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();

    /** One phase's sums. */
    record Sums(Map<String, Long> calls, long conflicted, double writeUnits, double readUnits) {
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return ContainerStoreCounter.withConsumedCapacity(context.request());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        double units = ContainerStoreCounter.consumedUnits(context.response());
        if ("BatchGetItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            readUnits.add(units);
        } else {
            writeUnits.add(units);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException cancelled
                && context.request() instanceof TransactWriteItemsRequest transaction) {
            writeUnits.add(ContainerStoreCounter.cancelledUnits(transaction));
            if (cancelled.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()))) {
                conflicted.increment();
            }
        } else if (context.exception() instanceof TransactionConflictException) {
            conflicted.increment(); // rejected before anything was written: DynamoDB states no charge
        }
    }

    /** The sums so far, and a fresh start for the next phase. */
    Sums take() {
        Map<String, Long> byOperation = new TreeMap<>();
        calls.forEach((operation, count) -> byOperation.put(operation, count.sumThenReset()));
        return new Sums(byOperation, conflicted.sumThenReset(), writeUnits.sumThenReset(), readUnits.sumThenReset());
    }
}
