package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.StoreUnits;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Runs inside a function container of the cost benchmark, never in a function jar: the SDK finds it through the
 * global interceptor resource of the jar {@link CounterJar} writes, which only the benchmark puts on the
 * containers' class path. Each store call becomes one stdout line ({@link #PREFIX}), which the runner forwards
 * with the container's name, so the benchmark sums calls and units ({@link StoreUnits}) over every container. A
 * conditional put that is refused returns no capacity; DynamoDB still charges it the write units of the item's
 * size (1 for a marker).
 */
public final class ContainerStoreCounter implements ExecutionInterceptor {

    /** {@code STORE-CALL <operation> <outcome> <capacity units>}; outcome ok, refused, or the error's class. */
    public static final String PREFIX = "STORE-CALL ";
    static final String OK = "ok";
    static final String REFUSED = "refused";
    static final String CANCELLED = "cancelled";
    /** The operations the store makes; the benchmark reports them in this order. */
    static final List<String> OPERATIONS = List.of("PutItem", "UpdateItem", "TransactWriteItems", "BatchGetItem");

    /** Put before each line: none in a container, whose runner prefixes its lines; the function's name in-process. */
    private final String linePrefix;

    /** The one the SDK instantiates in a container. */
    public ContainerStoreCounter() {
        this("");
    }

    ContainerStoreCounter(String linePrefix) {
        this.linePrefix = linePrefix;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        return StoreUnits.withConsumedCapacity(context.request());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        print(attributes, OK, StoreUnits.consumed(context.response()));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException
                && context.request() instanceof TransactWriteItemsRequest transaction) {
            print(attributes, CANCELLED, StoreUnits.cancelled(transaction));
            return;
        }
        boolean refused = context.exception() instanceof ConditionalCheckFailedException;
        print(attributes, refused ? REFUSED : context.exception().getClass().getSimpleName(), refused ? 1 : 0);
    }

    private void print(ExecutionAttributes attributes, String outcome, double units) {
        System.out.println(String.format(Locale.ROOT, "%s%s%s %s %s", linePrefix, PREFIX,
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), outcome, units));
    }
}
