package com.hourlyanalytics.bench;

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
 * The store's calls as its client sees them in the benchmark's JVM, summed over a phase: calls by operation, the
 * transactions cancelled (a marker or id already there, or a conflict), those that met a transaction conflict (a
 * plain write rejected, a transaction cancelled: each one a retry the store made), and the units consumed
 * ({@link StoreUnits}).
 */
public final class StoreCalls implements ExecutionInterceptor {

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder conflicted = new LongAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder readUnits = new DoubleAdder();

    /** One phase's sums. */
    public record Sums(Map<String, Long> calls, long cancelled, long conflicted, double writeUnits, double readUnits) {

        public long calls(String operation) {
            return calls.getOrDefault(operation, 0L);
        }

        public Sums plus(Sums other) {
            Map<String, Long> both = new TreeMap<>(calls);
            other.calls.forEach((operation, count) -> both.merge(operation, count, Long::sum));
            return new Sums(both, cancelled + other.cancelled, conflicted + other.conflicted,
                    writeUnits + other.writeUnits, readUnits + other.readUnits);
        }
    }

    public static final Sums NONE = new Sums(Map.of(), 0, 0, 0, 0);

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return StoreUnits.withConsumedCapacity(context.request());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        double units = StoreUnits.consumed(context.response());
        if ("BatchGetItem".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
            readUnits.add(units);
        } else {
            writeUnits.add(units);
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException cancellation
                && context.request() instanceof TransactWriteItemsRequest transaction) {
            cancelled.increment();
            writeUnits.add(StoreUnits.cancelled(transaction));
            if (cancellation.cancellationReasons().stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()))) {
                conflicted.increment();
            }
        } else if (context.exception() instanceof TransactionConflictException) {
            conflicted.increment(); // rejected before anything was written: DynamoDB states no charge
        }
    }

    /** The sums so far, and a fresh start for the next phase. */
    public Sums take() {
        Map<String, Long> byOperation = new TreeMap<>();
        calls.forEach((operation, count) -> {
            long sum = count.sumThenReset();
            if (sum > 0) {
                byOperation.put(operation, sum);
            }
        });
        return new Sums(byOperation, cancelled.sumThenReset(), conflicted.sumThenReset(), writeUnits.sumThenReset(),
                readUnits.sumThenReset());
    }
}
