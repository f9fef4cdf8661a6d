package com.hourlyanalytics.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

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
        client.waiter().waitUntilTableExists(b -> b.tableName(tableName));
    }
}
