package com.hourlyanalytics.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** Counts the calls a DynamoDB client makes, by operation, and the conditional puts the store refused. */
final class StoreCallCounter implements ExecutionInterceptor {

    static final String REFUSED = "ConditionalCheckFailed";

    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        count(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof ConditionalCheckFailedException) {
            count(REFUSED);
        }
    }

    /** The counts so far, and a fresh start for the next phase. */
    Map<String, Long> takeSnapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        calls.forEach((operation, count) -> snapshot.put(operation, count.sumThenReset()));
        return snapshot;
    }

    private void count(String operation) {
        calls.computeIfAbsent(operation, k -> new LongAdder()).increment();
    }
}
