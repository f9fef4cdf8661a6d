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
import com.hourlyanalytics.local.TransactionConflicts;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The emulator's TransactWriteItems and TransactGetItems against DynamoDB's documented semantics, through the AWS
 * SDK for Java: every case of emulator/conformance/transaction-cases.json (moto_check.py runs the same file against
 * moto), plus what a JSON case cannot say. The cases with a step in flight (conflicts) run on a second emulator whose
 * transaction window outlasts {@link #IN_FLIGHT_PAUSE} by far, as moto_check.py runs them; each waits out that window
 * on tables of its own, so they all start at once and each test awaits its own.
 */
class TransactionConformanceIT {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A step in flight is sent in the background, and the next step this long after: the emulator holds it by then. */
    private static final Duration IN_FLIGHT_PAUSE = Duration.ofMillis(300);
    private static final Duration CONFLICT_WINDOW = Duration.ofMillis(1500);
    private static DynaliteProcess dynalite;
    private static DynamoDbClient client;
    private static DynaliteProcess conflictDynalite;
    private static DynamoDbClient conflictClient;
    private static ExecutorService background;

    @BeforeAll
    static void start() {
        dynalite = Emulator.start();
        client = TransactionClient.create(dynalite);
        conflictDynalite = Emulator.start(CONFLICT_WINDOW);
        conflictClient = TransactionClient.create(conflictDynalite);
        background = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stop() {
        background.shutdownNow();
        client.close();
        dynalite.close();
        conflictClient.close();
        conflictDynalite.close();
    }

    @TestFactory
    Stream<DynamicTest> sharedCases() throws IOException {
        JsonNode cases = JSON.readTree(ApiEvents.repoRoot().resolve("emulator/conformance/transaction-cases.json").toFile());
        assertThat(cases.size()).isGreaterThanOrEqualTo(33);
        List<DynamicTest> tests = new ArrayList<>();
        cases.forEach(testCase -> {
            Executable test = () -> run(testCase);
            if (hasStepInFlight(testCase)) {
                Future<?> started = background.submit(() -> {
                    run(testCase);
                    return null;
                });
                test = () -> awaitCase(started);
            }
            tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), test));
        });
        return tests.stream();
    }

    private static boolean hasStepInFlight(JsonNode testCase) {
        boolean inFlight = false;
        for (JsonNode step : testCase.get("steps")) {
            inFlight |= step.path("inFlight").asBoolean();
        }
        return inFlight;
    }

    /** The started case's outcome: its failure as its own, so that the test reports it as run in this thread. */
    private static void awaitCase(Future<?> started) throws Throwable {
        try {
            started.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    private static void run(JsonNode testCase) throws Exception {
        DynamoDbClient client = hasStepInFlight(testCase) ? conflictClient : TransactionConformanceIT.client;
        Map<String, String> names = Map.of("$T", TransactionClient.newTable(client), "$T2", TransactionClient.newTable(client),
                "$MISSING", "no-such-table");
        JsonNode given = expand(testCase.path("given"), names, -1);
        given.fields().forEachRemaining(table -> table.getValue().forEach(item ->
                client.putItem(b -> b.tableName(table.getKey()).item(TransactionClient.item(item)))));
        String name = testCase.get("name").asText();
        List<Runnable> inFlight = new ArrayList<>();
        int number = 0;
        for (JsonNode step : testCase.get("steps")) {
            number++;
            if (step.path("awaitInFlight").asBoolean()) {
                inFlight.forEach(Runnable::run);
                inFlight.clear();
                continue;
            }
            String operation = CaseSteps.operation(step);
            JsonNode request = expand(step.get(operation), names, -1);
            JsonNode expect = expand(step.get("expect"), names, -1);
            String where = "step " + number + " (" + operation + ") of " + name;
            if (step.path("inFlight").asBoolean()) {
                Future<ObjectNode> outcome = background.submit(() -> CaseSteps.send(client, operation, request));
                inFlight.add(() -> check(expect, join(outcome), where));
                Thread.sleep(IN_FLIGHT_PAUSE.toMillis());
            } else {
                check(expect, CaseSteps.send(client, operation, request), where);
            }
        }
        inFlight.forEach(Runnable::run);
        expand(testCase.path("then"), names, -1).fields().forEachRemaining(table ->
                assertThat(TransactionClient.sortedByKey(scan(client, table.getKey())))
                        .as("%s after %s", table.getKey(), name)
                        .isEqualTo(sortedByKey(table.getValue())));
        expand(testCase.path("thenCount"), names, -1).fields().forEachRemaining(table ->
                assertThat(scan(client, table.getKey())).hasSize(table.getValue().asInt()));
    }

    private static ObjectNode join(Future<ObjectNode> outcome) {
        try {
            return outcome.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("the step in flight did not complete", e);
        }
    }

    private static void check(JsonNode expect, ObjectNode outcome, String where) {
        String as = where + ", outcome " + outcome;
        if (expect.has("error")) {
            assertThat(outcome.path("error").asText()).as(as).isEqualTo(expect.get("error").asText());
            if (expect.has("message")) {
                assertThat(outcome.path("message").asText()).as(as).isEqualTo(expect.get("message").asText());
            }
            if (expect.has("messageContains")) {
                assertThat(outcome.path("message").asText()).as(as).contains(expect.get("messageContains").asText());
            }
            if (expect.has("CancellationReasons")) {
                assertThat(outcome.get("CancellationReasons")).as(as).isEqualTo(expect.get("CancellationReasons"));
            }
            return;
        }
        assertThat(outcome.path("ok").asBoolean()).as(as).isTrue();
        expect.fields().forEachRemaining(field -> {
            if (field.getKey().equals("ConsumedCapacity")) {
                assertThat(outcome.get("ConsumedCapacity").toString()).as(as).isEqualTo(capacityOf(field.getValue()).toString());
            } else if (!field.getKey().equals("ok")) {
                assertThat(outcome.get(field.getKey())).as(as + ", " + field.getKey()).isEqualTo(field.getValue());
            }
        });
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

    private static List<Map<String, AttributeValue>> scan(String table) {
        return scan(client, table);
    }

    private static List<Map<String, AttributeValue>> scan(DynamoDbClient client, String table) {
        return client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().stream().toList();
    }

    private static ArrayNode sortedByKey(JsonNode items) {
        List<JsonNode> list = new ArrayList<>();
        items.forEach(list::add);
        list.sort(Comparator.comparing(item -> item.get("pk").get("S").asText()));
        return TransactionClient.array(list);
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
    void transactionInFlight_sdkSeesDynamoDbsConflictExceptions_nothingOfTheRejectedApplied() throws Exception {
        String table = TransactionClient.newTable(conflictClient);
        TransactWriteItemsRequest held = TransactWriteItemsRequest.builder().clientRequestToken(UUID.randomUUID().toString())
                .transactItems(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("c#1"))
                        .updateExpression("ADD clicks :c").expressionAttributeValues(Map.of(":c", n(1))).build()).build()).build();
        Map<String, Long> countsBefore = TransactionConflicts.of(conflictDynalite.endpoint());
        Future<?> first = background.submit(() -> conflictClient.transactWriteItems(held));
        Thread.sleep(IN_FLIGHT_PAUSE.toMillis());

        TransactionConflictException rejected = catchThrowableOfType(TransactionConflictException.class, () -> conflictClient.updateItem(
                b -> b.tableName(table).key(key("c#1")).updateExpression("ADD clicks :c").expressionAttributeValues(Map.of(":c", n(10)))));
        TransactionInProgressException inProgress = catchThrowableOfType(TransactionInProgressException.class,
                () -> conflictClient.transactWriteItems(held));
        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class,
                () -> conflictClient.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(Put.builder().tableName(table).item(key("m#u2")).build()).build(),
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("c#1"))
                                .updateExpression("ADD clicks :c").expressionAttributeValues(Map.of(":c", n(100))).build()).build())));
        first.get();

        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.awsErrorDetails().errorMessage())
                .isEqualTo("Operation was rejected because there is an ongoing transaction for the item");
        // The SDK does not retry a conflict: it is no throttling code. It does retry a token in progress, as throttling.
        assertThat(rejected.isThrottlingException()).isFalse();
        assertThat(inProgress.statusCode()).isEqualTo(400);
        assertThat(inProgress.isThrottlingException()).isTrue();
        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None", "TransactionConflict");
        assertThat(cancelled.cancellationReasons().get(1).message()).isEqualTo("Transaction is ongoing for the item");
        assertThat(TransactionClient.sortedByKey(scan(conflictClient, table)))
                .isEqualTo(TransactionClient.sortedByKey(List.of(Map.of("pk", s("c#1"), "clicks", n(1)))));
        Map<String, Long> countsAfter = TransactionConflicts.of(conflictDynalite.endpoint());
        assertThat(Stream.of("UpdateItem", "TransactWriteItems", "TransactionInProgress", "PutItem")
                .map(name -> countsAfter.getOrDefault(name, 0L) - countsBefore.getOrDefault(name, 0L)))
                .as("the emulator's conflict counts, %s then %s", countsBefore, countsAfter).containsExactly(1L, 1L, 1L, 0L);
    }

    @Test
    void plainOperations_stillServedByDynalite() {
        String table = TransactionClient.newTable(client);
        client.putItem(b -> b.tableName(table).item(key("a")));
        assertThat(client.getItem(b -> b.tableName(table).key(key("a"))).item()).isEqualTo(key("a"));
    }
}
