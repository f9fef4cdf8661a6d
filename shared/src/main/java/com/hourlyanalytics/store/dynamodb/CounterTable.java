package com.hourlyanalytics.store.dynamodb;

import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/** Creates the table where template.yaml is not there to do it: the local runner and the tests. */
public final class CounterTable {

    private CounterTable() {
    }

    public static void createIfMissing(DynamoDbClient client, String tableName) {
        try {
            if (client.describeTable(b -> b.tableName(tableName)).table().tableStatus() == TableStatus.ACTIVE) {
                return;
            }
        } catch (ResourceNotFoundException missing) {
            try {
                client.createTable(b -> b.tableName(tableName)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName(TableLayout.KEY).attributeType(ScalarAttributeType.S))
                        .keySchema(k -> k.attributeName(TableLayout.KEY).keyType("HASH")));
            } catch (ResourceInUseException createdConcurrently) {
                // Another process created it first: the waiter below still applies.
            }
        }
        // Polled every 10 ms: dynalite can say CREATING just after creating a table, and the SDK's default waiter
        // then sleeps 20 s (about 1 creation in 150 on a busy machine).
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder().client(client).overrideConfiguration(wait -> wait
                .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(10))).maxAttempts(1_000)
                .waitTimeout(Duration.ofSeconds(10))).build()) {
            waiter.waitUntilTableExists(b -> b.tableName(tableName));
        }
    }
}
