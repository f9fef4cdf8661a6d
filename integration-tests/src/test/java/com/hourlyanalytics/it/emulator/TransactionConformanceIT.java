package com.hourlyanalytics.it.emulator;

import static com.hourlyanalytics.it.emulator.TransactionClient.JSON;
import static com.hourlyanalytics.it.emulator.TransactionClient.key;
import static com.hourlyanalytics.it.emulator.TransactionClient.n;
import static com.hourlyanalytics.it.emulator.TransactionClient.s;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The emulator's TransactWriteItems and TransactGetItems against DynamoDB's documented semantics, through the AWS
 * SDK for Java: every case of emulator/conformance/transaction-cases.json (moto_check.py runs the same file against
 * moto), plus what a JSON case cannot say.
 */
class TransactionConformanceIT {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static DynaliteProcess dynalite;
    private static DynamoDbClient client;

    @BeforeAll
    static void start() {
        dynalite = Emulator.start();
        client = TransactionClient.create(dynalite);
    }

    @AfterAll
    static void stop() {
        client.close();
        dynalite.close();
    }

    @TestFactory
    Stream<DynamicTest> sharedCases() throws IOException {
        JsonNode cases = JSON.readTree(ApiEvents.repoRoot().resolve("emulator/conformance/transaction-cases.json").toFile());
        assertThat(cases.size()).isGreaterThanOrEqualTo(20);
        List<DynamicTest> tests = new ArrayList<>();
        cases.forEach(testCase -> tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> run(testCase))));
        return tests.stream();
    }

    private static void run(JsonNode testCase) throws IOException {
        Map<String, String> names = Map.of("$T", TransactionClient.newTable(client), "$T2", TransactionClient.newTable(client),
                "$MISSING", "no-such-table");
        JsonNode given = expand(testCase.path("given"), names, -1);
        given.fields().forEachRemaining(table -> table.getValue().forEach(item ->
                client.putItem(b -> b.tableName(table.getKey()).item(TransactionClient.item(item)))));
        int number = 0;
        for (JsonNode step : testCase.get("steps")) {
            number++;
            boolean write = step.has("TransactWriteItems");
            JsonNode request = expand(step.get(write ? "TransactWriteItems" : "TransactGetItems"), names, -1);
            JsonNode expect = expand(step.get("expect"), names, -1);
            ObjectNode outcome = NODES.objectNode();
            try {
                if (write) {
                    var response = client.transactWriteItems(TransactionClient.writeRequest(request));
                    outcome.set("ConsumedCapacity", capacity(response.consumedCapacity()));
                } else {
                    var response = client.transactGetItems(TransactionClient.getRequest(request));
                    outcome.set("Responses", TransactionClient.array(response.responses().stream().map(TransactionConformanceIT::json).toList()));
                    outcome.set("ConsumedCapacity", capacity(response.consumedCapacity()));
                }
                outcome.put("ok", true);
            } catch (DynamoDbException e) {
                outcome.put("error", e.awsErrorDetails().errorCode());
                outcome.put("message", e.awsErrorDetails().errorMessage());
                if (e instanceof TransactionCanceledException cancelled) {
                    outcome.set("CancellationReasons", TransactionClient.array(cancelled.cancellationReasons().stream()
                            .map(TransactionConformanceIT::json).toList()));
                }
            }
            String where = "step " + number + " of " + testCase.get("name").asText() + ", outcome " + outcome;
            if (expect.has("error")) {
                assertThat(outcome.path("error").asText()).as(where).isEqualTo(expect.get("error").asText());
                if (expect.has("message")) {
                    assertThat(outcome.path("message").asText()).as(where).isEqualTo(expect.get("message").asText());
                }
                if (expect.has("messageContains")) {
                    assertThat(outcome.path("message").asText()).as(where).contains(expect.get("messageContains").asText());
                }
                if (expect.has("CancellationReasons")) {
                    assertThat(outcome.get("CancellationReasons")).as(where).isEqualTo(expect.get("CancellationReasons"));
                }
            } else {
                assertThat(outcome.path("ok").asBoolean()).as(where).isTrue();
                if (expect.has("Responses")) {
                    assertThat(outcome.get("Responses")).as(where).isEqualTo(expect.get("Responses"));
                }
                if (expect.has("ConsumedCapacity")) {
                    assertThat(outcome.get("ConsumedCapacity").toString()).as(where)
                            .isEqualTo(capacityOf(expect.get("ConsumedCapacity")).toString());
                }
            }
        }
        expand(testCase.path("then"), names, -1).fields().forEachRemaining(table ->
                assertThat(TransactionClient.sortedByKey(scan(table.getKey())))
                        .as("%s after %s", table.getKey(), testCase.get("name").asText())
                        .isEqualTo(sortedByKey(table.getValue())));
        expand(testCase.path("thenCount"), names, -1).fields().forEachRemaining(table ->
                assertThat(scan(table.getKey())).hasSize(table.getValue().asInt()));
    }

    /** The cases' placeholders: $T, $T2 and $MISSING name tables; {"$repeat": n, "item": x} is n copies of x with ${i}. */
    private static JsonNode expand(JsonNode node, Map<String, String> names, int index) {
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(element -> {
                if (element.has("$repeat")) {
                    IntStream.range(0, element.get("$repeat").asInt()).forEach(i -> out.add(expand(element.get("item"), names, i)));
                } else {
                    out.add(expand(element, names, index));
                }
            });
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            node.fields().forEachRemaining(e -> out.set(names.getOrDefault(e.getKey(), e.getKey()), expand(e.getValue(), names, index)));
            return out;
        }
        if (node.isTextual()) {
            String text = node.asText();
            return NODES.textNode(names.getOrDefault(text, index < 0 ? text : text.replace("${i}", Integer.toString(index))));
        }
        return node;
    }

    private static List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> scan(String table) {
        return client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream().toList();
    }

    private static ArrayNode sortedByKey(JsonNode items) {
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        list.sort(Comparator.comparing(item -> item.get("pk").get("S").asText()));
        return TransactionClient.array(list);
    }

    private static JsonNode json(ItemResponse response) {
        ObjectNode node = NODES.objectNode();
        if (response.hasItem()) {
            node.set("Item", TransactionClient.json(response.item()));
        }
        return node;
    }

    private static JsonNode json(CancellationReason reason) {
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

    private static ArrayNode capacity(List<ConsumedCapacity> capacities) {
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

    /** The case file's capacities with the SDK's types (its units are doubles). */
    private static ArrayNode capacityOf(JsonNode expected) {
        ArrayNode out = NODES.arrayNode();
        expected.forEach(c -> {
            ObjectNode node = NODES.objectNode().put("TableName", c.get("TableName").asText());
            c.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("TableName")) {
                    node.put(e.getKey(), e.getValue().asDouble());
                }
            });
            out.add(node);
        });
        return out;
    }

    // ---- what a case file cannot say ----

    @Test
    void markerExists_sdkExposesReasonsInActionOrder() {
        String table = TransactionClient.newTable(client);
        client.putItem(b -> b.tableName(table).item(Map.of("pk", s("m#u1"), "expires_at", n(42))));
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(key("m#u1"))
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("c#1"))
                        .updateExpression("ADD clicks :c, unique_users :u")
                        .expressionAttributeValues(Map.of(":c", n(1), ":u", n(1))).build()).build()).build();

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> client.transactWriteItems(request));

        assertThat(cancelled.statusCode()).isEqualTo(400);
        assertThat(cancelled.awsErrorDetails().errorCode()).isEqualTo("TransactionCanceledException");
        assertThat(cancelled.awsErrorDetails().errorMessage()).isEqualTo(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]");
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                .containsExactly("ConditionalCheckFailed", "None");
        assertThat(cancelled.cancellationReasons().get(0).message()).isEqualTo("The conditional request failed");
        assertThat(cancelled.cancellationReasons().get(0).item()).isEqualTo(Map.of("pk", s("m#u1"), "expires_at", n(42)));
        assertThat(cancelled.cancellationReasons().get(1).message()).isNull();
        assertThat(client.getItem(b -> b.tableName(table).key(key("c#1")).consistentRead(true)).hasItem()).isFalse();
    }

    @Test
    void tokenInRequest_resent_appliedOnce_withoutToken_appliedAgain() {
        String table = TransactionClient.newTable(client);
        // Without a token the SDK fills a fresh one into each call: only a request that carries its token is a resend.
        TransactWriteItemsRequest request = TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("c#1"))
                        .updateExpression("ADD clicks :c").expressionAttributeValues(Map.of(":c", n(1))).build()).build())
                .clientRequestToken(java.util.UUID.randomUUID().toString()).build();

        client.transactWriteItems(request);
        client.transactWriteItems(request);
        client.transactWriteItems(request.toBuilder().clientRequestToken(null).build());

        assertThat(client.getItem(b -> b.tableName(table).key(key("c#1")).consistentRead(true)).item().get("clicks"))
                .isEqualTo(n(2));
    }

    @Test
    void itemsOverFourMegabytes_validationException_nothingApplied() {
        String table = TransactionClient.newTable(client);
        String big = "x".repeat(380 * 1024);
        List<TransactWriteItem> puts = IntStream.range(0, 11).mapToObj(i -> TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(Map.of("pk", s("big" + i), "v", s(big))).build()).build()).toList();

        DynamoDbException rejected = catchThrowableOfType(DynamoDbException.class,
                () -> client.transactWriteItems(b -> b.transactItems(puts)));

        assertThat(rejected.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(rejected.awsErrorDetails().errorMessage()).contains("4 MB");
        assertThat(scan(table)).isEmpty();
        // Ten such items (3.7 MB) are within the limit.
        client.transactWriteItems(b -> b.transactItems(puts.subList(0, 10)));
        assertThat(scan(table)).hasSize(10);
    }

    @Test
    void globalSecondaryIndex_followsCommittedTransactionsOnly() {
        String table = "tx-gsi-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("hour").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
                .globalSecondaryIndexes(g -> g.indexName("by-hour").keySchema(k -> k.attributeName("hour").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
        TransactionClient.awaitActive(client, table);
        client.putItem(b -> b.tableName(table).item(Map.of("pk", s("old"), "hour", s("h1"))));

        client.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of("pk", s("new"), "hour", s("h1"))).build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("old"))
                        .updateExpression("SET #h = :h").expressionAttributeNames(Map.of("#h", "hour"))
                        .expressionAttributeValues(Map.of(":h", s("h2"))).build()).build()));
        catchThrowableOfType(TransactionCanceledException.class, () -> client.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(Map.of("pk", s("never"), "hour", s("h1"))).build()).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key("old")).conditionExpression("attribute_not_exists(pk)")).build())));

        assertThat(hourIndex(table, "h1")).containsExactly("new");
        assertThat(hourIndex(table, "h2")).containsExactly("old");
    }

    private static List<String> hourIndex(String table, String hour) {
        return client.query(b -> b.tableName(table).indexName("by-hour").keyConditionExpression("#h = :h")
                        .expressionAttributeNames(Map.of("#h", "hour")).expressionAttributeValues(Map.of(":h", s(hour))))
                .items().stream().map(item -> item.get("pk").s()).toList();
    }

    @Test
    void plainOperations_stillServedByDynalite() {
        String table = TransactionClient.newTable(client);
        client.putItem(b -> b.tableName(table).item(key("a")));
        assertThat(client.getItem(b -> b.tableName(table).key(key("a"))).item()).isEqualTo(key("a"));
    }
}
