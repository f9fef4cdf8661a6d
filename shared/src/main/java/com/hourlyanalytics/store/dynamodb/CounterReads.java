package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.store.StoreErrorCode;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/** Strongly consistent reads of up to 100 items by key; keys left unprocessed are asked again a bounded number of times. */
final class CounterReads {

    /** BatchGetItem may leave keys unprocessed under load; after this many calls the read fails (503). */
    static final int MAX_READ_ATTEMPTS = 3;
    private static final long READ_RETRY_BASE_MILLIS = 10;

    private final DynamoDbClient client;
    private final String tableName;

    CounterReads(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    /** The items that exist among {@code itemKeys}, in no particular order. */
    List<Map<String, AttributeValue>> items(List<String> itemKeys) {
        List<Map<String, AttributeValue>> keys = itemKeys.stream()
                .map(key -> Map.of(TableLayout.KEY, AttributeValue.fromS(key)))
                .toList();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int attempt = 1; !keys.isEmpty(); attempt++) {
            if (attempt > MAX_READ_ATTEMPTS) {
                throw new StoreUnavailableException(StoreErrorCode.UNPROCESSED_KEYS, "counter read left " + keys.size() + " shards unprocessed");
            }
            BatchGetItemResponse response = batchGet(keys, attempt);
            items.addAll(response.responses().getOrDefault(tableName, List.of()));
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(tableName);
            keys = unprocessed == null ? List.of() : unprocessed.keys();
        }
        return items;
    }

    private BatchGetItemResponse batchGet(List<Map<String, AttributeValue>> keys, int attempt) {
        try {
            if (attempt > 1) {
                Thread.sleep(READ_RETRY_BASE_MILLIS << (attempt - 2));
            }
            return client.batchGetItem(b -> b.requestItems(Map.of(tableName,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter read failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("counter read interrupted", e);
        }
    }
}
