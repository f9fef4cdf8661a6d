package com.hourlyanalytics.bench;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The store's capacity units as the benchmarks count them: asked for on each call (ReturnConsumedCapacity TOTAL,
 * a field on the benchmark's requests only, which the store ignores in the answer), read from the answer, and a
 * cancelled transaction, which returns none, counted at what it would have cost committed (docs/cost.md). Depends on
 * the SDK alone: the cost benchmark ships it into function containers beside {@code ContainerStoreCounter}.
 */
public final class StoreUnits {

    private StoreUnits() {
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

    /** The capacity units a store call's answer reports consumed. */
    public static double consumed(SdkResponse response) {
        return switch (response) {
            case PutItemResponse put -> units(put.consumedCapacity());
            case UpdateItemResponse update -> units(update.consumedCapacity());
            case BatchGetItemResponse get -> get.consumedCapacity().stream().mapToDouble(StoreUnits::units).sum();
            case TransactWriteItemsResponse transaction -> transaction.consumedCapacity().stream().mapToDouble(StoreUnits::units).sum();
            default -> 0;
        };
    }

    /** A cancelled transaction at what it would have cost committed: 2 units per action, every item here under 1 KB. */
    public static double cancelled(TransactWriteItemsRequest transaction) {
        return 2.0 * transaction.transactItems().size();
    }

    private static double units(ConsumedCapacity capacity) {
        return capacity == null || capacity.capacityUnits() == null ? 0 : capacity.capacityUnits();
    }
}
