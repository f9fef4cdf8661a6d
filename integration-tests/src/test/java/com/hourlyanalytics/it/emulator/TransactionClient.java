package com.hourlyanalytics.it.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hourlyanalytics.local.DynaliteProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The emulator's transactions as the AWS SDK for Java sees them: a client without retries (a retry would hide what
 * one call did) and with generous timeouts (the races load a 2-core machine), and the conversions between the
 * DynamoDB JSON of the shared case file and the SDK's model.
 */
final class TransactionClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TransactionClient() {
    }

    static DynamoDbClient create(DynaliteProcess dynalite) {
        return DynamoDbClient.builder()
                .endpointOverride(dynalite.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    /** A fresh table keyed like the counters table (pk, a string). */
    static String newTable(DynamoDbClient client) {
        String table = "tx-" + UUID.randomUUID().toString().substring(0, 8);
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
        return awaitActive(client, table);
    }

    /** Polled every few milliseconds: dynalite may answer CREATING for a moment, and the SDK's waiter would then sleep 20 s. */
    static String awaitActive(DynamoDbClient client, String table) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            if (client.describeTable(b -> b.tableName(table)).table().tableStatus() == TableStatus.ACTIVE) {
                return table;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("table " + table + " never became ACTIVE");
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    // ---- DynamoDB JSON -> SDK ----

    static AttributeValue value(JsonNode node) {
        Map.Entry<String, JsonNode> typed = node.fields().next();
        JsonNode v = typed.getValue();
        return switch (typed.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "L" -> AttributeValue.fromL(list(v, TransactionClient::value));
            case "M" -> AttributeValue.fromM(item(v));
            case "SS" -> AttributeValue.fromSs(list(v, JsonNode::asText));
            case "NS" -> AttributeValue.fromNs(list(v, JsonNode::asText));
            default -> throw new IllegalArgumentException("attribute type not used by the cases: " + typed.getKey());
        };
    }

    static Map<String, AttributeValue> item(JsonNode node) {
        if (node == null) {
            return null;
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> item.put(e.getKey(), value(e.getValue())));
        return item;
    }

    private static Map<String, String> names(JsonNode node) {
        if (node == null) {
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> names.put(e.getKey(), e.getValue().asText()));
        return names;
    }

    private static <T> List<T> list(JsonNode array, java.util.function.Function<JsonNode, T> element) {
        List<T> list = new ArrayList<>();
        array.forEach(node -> list.add(element.apply(node)));
        return list;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    static TransactWriteItemsRequest writeRequest(JsonNode request) {
        return TransactWriteItemsRequest.builder()
                .transactItems(list(request.get("TransactItems"), TransactionClient::writeItem))
                .clientRequestToken(text(request, "ClientRequestToken"))
                .returnConsumedCapacity(text(request, "ReturnConsumedCapacity"))
                .build();
    }

    private static TransactWriteItem writeItem(JsonNode action) {
        TransactWriteItem.Builder builder = TransactWriteItem.builder();
        JsonNode put = action.get("Put");
        if (put != null) {
            builder.put(Put.builder().tableName(text(put, "TableName")).item(item(put.get("Item")))
                    .conditionExpression(text(put, "ConditionExpression"))
                    .expressionAttributeNames(names(put.get("ExpressionAttributeNames")))
                    .expressionAttributeValues(item(put.get("ExpressionAttributeValues")))
                    .returnValuesOnConditionCheckFailure(text(put, "ReturnValuesOnConditionCheckFailure")).build());
        }
        JsonNode update = action.get("Update");
        if (update != null) {
            builder.update(Update.builder().tableName(text(update, "TableName")).key(item(update.get("Key")))
                    .updateExpression(text(update, "UpdateExpression"))
                    .conditionExpression(text(update, "ConditionExpression"))
                    .expressionAttributeNames(names(update.get("ExpressionAttributeNames")))
                    .expressionAttributeValues(item(update.get("ExpressionAttributeValues")))
                    .returnValuesOnConditionCheckFailure(text(update, "ReturnValuesOnConditionCheckFailure")).build());
        }
        JsonNode delete = action.get("Delete");
        if (delete != null) {
            builder.delete(Delete.builder().tableName(text(delete, "TableName")).key(item(delete.get("Key")))
                    .conditionExpression(text(delete, "ConditionExpression"))
                    .expressionAttributeNames(names(delete.get("ExpressionAttributeNames")))
                    .expressionAttributeValues(item(delete.get("ExpressionAttributeValues")))
                    .returnValuesOnConditionCheckFailure(text(delete, "ReturnValuesOnConditionCheckFailure")).build());
        }
        JsonNode check = action.get("ConditionCheck");
        if (check != null) {
            builder.conditionCheck(ConditionCheck.builder().tableName(text(check, "TableName")).key(item(check.get("Key")))
                    .conditionExpression(text(check, "ConditionExpression"))
                    .expressionAttributeNames(names(check.get("ExpressionAttributeNames")))
                    .expressionAttributeValues(item(check.get("ExpressionAttributeValues")))
                    .returnValuesOnConditionCheckFailure(text(check, "ReturnValuesOnConditionCheckFailure")).build());
        }
        return builder.build();
    }

    static TransactGetItemsRequest getRequest(JsonNode request) {
        return TransactGetItemsRequest.builder()
                .transactItems(list(request.get("TransactItems"), action -> {
                    JsonNode get = action.get("Get");
                    return TransactGetItem.builder().get(Get.builder().tableName(text(get, "TableName"))
                            .key(item(get.get("Key"))).projectionExpression(text(get, "ProjectionExpression"))
                            .expressionAttributeNames(names(get.get("ExpressionAttributeNames"))).build()).build();
                }))
                .returnConsumedCapacity(text(request, "ReturnConsumedCapacity"))
                .build();
    }

    // ---- SDK -> DynamoDB JSON ----

    static JsonNode json(AttributeValue value) {
        ObjectNode node = NODES.objectNode();
        switch (value.type()) {
            case S -> node.put("S", value.s());
            case N -> node.put("N", value.n());
            case BOOL -> node.put("BOOL", value.bool());
            case L -> node.set("L", array(value.l().stream().map(TransactionClient::json).toList()));
            case M -> node.set("M", json(value.m()));
            case SS -> node.set("SS", array(value.ss().stream().map(NODES::textNode).map(JsonNode.class::cast).toList()));
            case NS -> node.set("NS", array(value.ns().stream().map(NODES::textNode).map(JsonNode.class::cast).toList()));
            default -> throw new IllegalArgumentException("attribute type not used by the cases: " + value.type());
        }
        return node;
    }

    static ObjectNode json(Map<String, AttributeValue> item) {
        ObjectNode node = NODES.objectNode();
        item.forEach((name, value) -> node.set(name, json(value)));
        return node;
    }

    static ArrayNode array(List<JsonNode> elements) {
        ArrayNode array = NODES.arrayNode();
        array.addAll(elements);
        return array;
    }

    /** Items in key order, so two listings of one table compare equal. */
    static ArrayNode sortedByKey(List<Map<String, AttributeValue>> items) {
        return array(items.stream().sorted(Comparator.comparing(item -> item.get("pk").s()))
                .map(item -> (JsonNode) json(item)).toList());
    }
}
