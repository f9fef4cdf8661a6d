package com.hourlyanalytics.bench.cost;

import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Runs inside a function container of the cost benchmark, never in a function jar: the SDK finds it through the
 * global interceptor resource of the jar {@link CounterJar} writes, which only the benchmark puts on the
 * containers' class path. Each store call becomes one stdout line ({@link #PREFIX}), which the runner forwards
 * with the container's name, so the benchmark sums calls and units over every container.
 *
 * <p>It asks DynamoDB for ConsumedCapacity (TOTAL) on the calls the store makes: that adds a field to the
 * benchmark's requests only, and changes nothing the store does with the answer. A conditional put that is
 * refused returns no capacity; DynamoDB still charges it the write units of the item's size (1 for a marker). A
 * cancelled transaction returns none either; it is counted at what it would have cost (2 units per action, every
 * item here being under 1 KB): an upper bound, see docs/cost.md.
 */
public final class ContainerStoreCounter implements ExecutionInterceptor {

    /** {@code STORE-CALL <operation> <outcome> <capacity units>}; outcome ok, refused, or the error's class. */
    public static final String PREFIX = "STORE-CALL ";
    static final String OK = "ok";
    static final String REFUSED = "refused";
    static final String CANCELLED = "cancelled";

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
        return withConsumedCapacity(context.request());
    }

    /** The store's request asking for its ConsumedCapacity (TOTAL); any other request as it is. */
    public static SdkRequest withConsumedCapacity(SdkRequest request) {
        return switch (request) {
            case PutItemRequest put -> put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case UpdateItemRequest update -> update.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case BatchGetItemRequest get -> get.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            case TransactWriteItemsRequest transaction -> transaction.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            default -> request;
        };
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        print(attributes, OK, consumedUnits(context.response()));
    }

    /** The capacity units a store call's answer reports consumed. */
    public static double consumedUnits(SdkResponse response) {
        return switch (response) {
            case PutItemResponse put -> units(put.consumedCapacity());
            case UpdateItemResponse update -> units(update.consumedCapacity());
            case BatchGetItemResponse get -> get.consumedCapacity().stream().mapToDouble(ContainerStoreCounter::units).sum();
            case TransactWriteItemsResponse transaction -> transaction.consumedCapacity().stream().mapToDouble(ContainerStoreCounter::units).sum();
            default -> 0;
        };
    }

    /** What a cancelled transaction is counted at: what it would have cost committed, 2 units per action (docs/cost.md). */
    public static double cancelledUnits(TransactWriteItemsRequest transaction) {
        return 2.0 * transaction.transactItems().size();
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException
                && context.request() instanceof TransactWriteItemsRequest transaction) {
            print(attributes, CANCELLED, cancelledUnits(transaction));
            return;
        }
        boolean refused = context.exception() instanceof ConditionalCheckFailedException;
        print(attributes, refused ? REFUSED : context.exception().getClass().getSimpleName(), refused ? 1 : 0);
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }

    private void print(ExecutionAttributes attributes, String outcome, double units) {
        System.out.println(String.format(Locale.ROOT, "%s%s%s %s %s", linePrefix, PREFIX,
                attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), outcome, units));
    }

    /** The operations the store makes; the benchmark reports them in this order. */
    static final List<String> OPERATIONS = List.of("PutItem", "UpdateItem", "TransactWriteItems", "BatchGetItem");
}
