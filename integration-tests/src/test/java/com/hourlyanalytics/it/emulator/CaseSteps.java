package com.hourlyanalytics.it.emulator;

import static com.hourlyanalytics.it.emulator.TransactionClient.item;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * One step of a shared case (transaction-cases.json) sent through the AWS SDK for Java, and its outcome in the case
 * file's terms: {"ok": true, ...the response's fields} or {"error", "message", "CancellationReasons"}.
 */
final class CaseSteps {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CaseSteps() {
    }

    /** The step's operation: its one field besides "expect" and "inFlight". */
    static String operation(JsonNode step) {
        List<String> names = new ArrayList<>();
        step.fieldNames().forEachRemaining(names::add);
        names.removeAll(List.of("expect", "inFlight"));
        if (names.size() != 1) {
            throw new IllegalArgumentException("a step names one operation, not " + names);
        }
        return names.get(0);
    }

    static ObjectNode send(DynamoDbClient client, String operation, JsonNode request) {
        ObjectNode outcome = NODES.objectNode();
        try {
            respond(client, operation, request, outcome);
            outcome.put("ok", true);
        } catch (DynamoDbException e) {
            outcome.put("error", e.awsErrorDetails().errorCode());
            outcome.put("message", e.awsErrorDetails().errorMessage());
            if (e instanceof TransactionCanceledException cancelled) {
                outcome.set("CancellationReasons", TransactionClient.array(cancelled.cancellationReasons().stream()
                        .map(CaseSteps::json).toList()));
            }
        }
        return outcome;
    }

    private static void respond(DynamoDbClient client, String operation, JsonNode request, ObjectNode outcome) {
        String table = text(request, "TableName");
        switch (operation) {
            case "TransactWriteItems" -> outcome.set("ConsumedCapacity",
                    capacity(client.transactWriteItems(TransactionClient.writeRequest(request)).consumedCapacity()));
            case "TransactGetItems" -> {
                var response = client.transactGetItems(TransactionClient.getRequest(request));
                outcome.set("Responses", TransactionClient.array(response.responses().stream().map(CaseSteps::json).toList()));
                outcome.set("ConsumedCapacity", capacity(response.consumedCapacity()));
            }
            case "PutItem" -> client.putItem(b -> b.tableName(table).item(item(request.get("Item")))
                    .conditionExpression(text(request, "ConditionExpression")));
            case "UpdateItem" -> client.updateItem(b -> b.tableName(table).key(item(request.get("Key")))
                    .updateExpression(text(request, "UpdateExpression"))
                    .expressionAttributeValues(item(request.get("ExpressionAttributeValues"))));
            case "DeleteItem" -> client.deleteItem(b -> b.tableName(table).key(item(request.get("Key"))));
            case "BatchWriteItem" -> client.batchWriteItem(b -> b.requestItems(perTable(request, requests -> {
                List<WriteRequest> writes = new ArrayList<>();
                requests.forEach(w -> writes.add(w.has("PutRequest")
                        ? WriteRequest.builder().putRequest(p -> p.item(item(w.get("PutRequest").get("Item")))).build()
                        : WriteRequest.builder().deleteRequest(d -> d.key(item(w.get("DeleteRequest").get("Key")))).build()));
                return writes;
            })));
            case "GetItem" -> {
                var response = client.getItem(b -> b.tableName(table).key(item(request.get("Key")))
                        .consistentRead(request.path("ConsistentRead").asBoolean()));
                if (response.hasItem()) {
                    outcome.set("Item", TransactionClient.json(response.item()));
                }
            }
            case "BatchGetItem" -> {
                var response = client.batchGetItem(b -> b.requestItems(perTable(request, keys -> {
                    List<Map<String, AttributeValue>> list = new ArrayList<>();
                    keys.get("Keys").forEach(key -> list.add(item(key)));
                    return KeysAndAttributes.builder().keys(list).consistentRead(keys.path("ConsistentRead").asBoolean()).build();
                })));
                ObjectNode responses = NODES.objectNode();
                response.responses().forEach((name, items) -> responses.set(name, TransactionClient.sortedByKey(items)));
                outcome.set("Responses", responses);
            }
            case "Query" -> outcome.set("Items", TransactionClient.sortedByKey(client.query(b -> b.tableName(table)
                    .keyConditionExpression(text(request, "KeyConditionExpression"))
                    .expressionAttributeValues(item(request.get("ExpressionAttributeValues")))
                    .consistentRead(request.path("ConsistentRead").asBoolean())).items()));
            case "Scan" -> outcome.set("Items", TransactionClient.sortedByKey(client.scan(b -> b.tableName(table)
                    .consistentRead(request.path("ConsistentRead").asBoolean())).items()));
            default -> throw new IllegalArgumentException("an operation the cases do not use: " + operation);
        }
    }

    private static <T> Map<String, T> perTable(JsonNode request, java.util.function.Function<JsonNode, T> convert) {
        Map<String, T> tables = new LinkedHashMap<>();
        request.get("RequestItems").fields().forEachRemaining(e -> tables.put(e.getKey(), convert.apply(e.getValue())));
        return tables;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static JsonNode json(ItemResponse response) {
        ObjectNode node = NODES.objectNode();
        if (response.hasItem()) {
            node.set("Item", TransactionClient.json(response.item()));
        }
        return node;
    }

    static JsonNode json(CancellationReason reason) {
        ObjectNode node = NODES.objectNode();
        node.put("Code", reason.code());
        if (reason.message() != null) {
            node.put("Message", reason.message());
        }
        if (reason.hasItem()) {
            node.set("Item", TransactionClient.json(reason.item()));
        }
        return node;
    }

    private static JsonNode capacity(List<ConsumedCapacity> capacities) {
        return TransactionClient.array(capacities.stream().map(c -> {
            ObjectNode node = NODES.objectNode().put("TableName", c.tableName()).put("CapacityUnits", c.capacityUnits());
            if (c.writeCapacityUnits() != null) {
                node.put("WriteCapacityUnits", c.writeCapacityUnits());
            }
            if (c.readCapacityUnits() != null) {
                node.put("ReadCapacityUnits", c.readCapacityUnits());
            }
            return (JsonNode) node;
        }).toList());
    }
}
