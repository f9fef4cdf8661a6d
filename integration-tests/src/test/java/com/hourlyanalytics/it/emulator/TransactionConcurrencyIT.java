package com.hourlyanalytics.it.emulator;

import static com.hourlyanalytics.it.emulator.TransactionClient.key;
import static com.hourlyanalytics.it.emulator.TransactionClient.n;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactionInProgressException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * All or nothing under concurrency: many threads race transactions and plain conditional writes on the same items
 * of one emulator; the invariants hold exactly (one winner, exact sums, no overdraft, consistent snapshots), under
 * DynamoDB's conflict rules: what meets a transaction in flight is rejected and applies nothing, so a racer may
 * resend it (docs/local-store.md).
 */
class TransactionConcurrencyIT {

    private static final int THREADS = 12;
    /** The emulator's default window, DynamoDB's transaction latency as docs/local-store.md models it; set, not inherited. */
    private static final Duration WINDOW = Duration.ofMillis(25);
    private static DynaliteProcess dynalite;
    private static DynamoDbClient client;
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        dynalite = Emulator.start(WINDOW);
        client = TransactionClient.create(dynalite);
        pool = Executors.newFixedThreadPool(THREADS);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        client.close();
        dynalite.close();
    }

    /** The store adapter's transaction: the user-hour marker, created only if new, and the counter ADD. */
    private static TransactWriteItemsRequest markerAndCounter(String table, String user) {
        return TransactWriteItemsRequest.builder().transactItems(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(key("m#" + user))
                        .conditionExpression("attribute_not_exists(pk)").build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("c#1"))
                        .updateExpression("ADD clicks :c, unique_users :u")
                        .expressionAttributeValues(Map.of(":c", n(1), ":u", n(1))).build()).build()).build();
    }

    private static long number(String table, String pk, String attribute) {
        AttributeValue value = client.getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)).item().get(attribute);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    /** Runs the tasks at once (a barrier releases them together) and returns their results. */
    private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
        CyclicBarrier start = new CyclicBarrier(tasks.size());
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }

    @Test
    void sameUserRacedByTransactionsAndPlainPuts_exactlyOneWinnerPerUser_counterCountsTransactionWinners() throws Exception {
        String table = TransactionClient.newTable(client);
        int users = 25;
        int transactionWins = 0;
        for (int u = 0; u < users; u++) {
            String user = "u" + u;
            List<Callable<String>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                boolean plain = t % 4 == 0; // a quarter of the racers write the marker alone, as a plain conditional put
                tasks.add(() -> {
                    try {
                        if (plain) {
                            client.putItem(b -> b.tableName(table).item(key("m#" + user)).conditionExpression("attribute_not_exists(pk)"));
                            return "plain won";
                        }
                        client.transactWriteItems(markerAndCounter(table, user));
                        return "transaction won";
                    } catch (ConditionalCheckFailedException | TransactionConflictException lost) {
                        return "plain lost";
                    } catch (TransactionCanceledException lost) {
                        List<String> codes = lost.cancellationReasons().stream().map(CancellationReason::code).toList();
                        if (!codes.contains("TransactionConflict")) {
                            assertThat(codes).containsExactly("ConditionalCheckFailed", "None");
                        }
                        return "transaction lost";
                    }
                });
            }
            List<String> outcomes = race(tasks);
            assertThat(outcomes.stream().filter(o -> o.endsWith("won"))).as("user %s: %s", user, outcomes).hasSize(1);
            transactionWins += outcomes.contains("transaction won") ? 1 : 0;
        }
        assertThat(number(table, "c#1", "unique_users")).isEqualTo(transactionWins);
        assertThat(number(table, "c#1", "clicks")).isEqualTo(transactionWins);
        assertThat(transactionWins).isPositive();
    }

    /** Whether nothing was applied because the request met a transaction in flight: safe to send again. */
    private static boolean conflicted(RuntimeException e) {
        return e instanceof TransactionConflictException || e instanceof TransactionCanceledException cancelled
                && cancelled.cancellationReasons().stream().anyMatch(r -> r.code().equals("TransactionConflict"));
    }

    /** A short random pause before resending after a conflict, so racers do not meet again in lockstep. */
    private static void backOff() throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 2 * (int) WINDOW.toMillis()));
    }

    @Test
    void transfersAndPlainWithdrawalsOnOneBalance_neverOverdraw_sumsExact() throws Exception {
        String table = TransactionClient.newTable(client);
        int funds = 150;
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"), "bal", n(funds))));
        AtomicInteger transfers = new AtomicInteger();
        AtomicInteger withdrawals = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            boolean plain = t % 3 == 0;
            tasks.add(() -> {
                for (boolean empty = false; !empty; ) {
                    try {
                        if (plain) {
                            // A plain conditional write on the item the transactions check and change.
                            client.updateItem(b -> b.tableName(table).key(key("a")).updateExpression("ADD bal :minus")
                                    .conditionExpression("bal >= :one").expressionAttributeValues(Map.of(":minus", n(-1), ":one", n(1))));
                            withdrawals.incrementAndGet();
                        } else {
                            client.transactWriteItems(b -> b.transactItems(
                                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("a"))
                                            .updateExpression("ADD bal :minus").conditionExpression("bal >= :one")
                                            .expressionAttributeValues(Map.of(":minus", n(-1), ":one", n(1))).build()).build(),
                                    TransactWriteItem.builder().update(Update.builder().tableName(table).key(key("b"))
                                            .updateExpression("ADD bal :one")
                                            .expressionAttributeValues(Map.of(":one", n(1))).build()).build()));
                            transfers.incrementAndGet();
                        }
                    } catch (ConditionalCheckFailedException | TransactionCanceledException | TransactionConflictException e) {
                        if (conflicted(e)) {
                            conflicts.incrementAndGet();
                            backOff();
                        } else {
                            empty = true;
                        }
                    }
                }
                return null;
            });
        }
        race(tasks);

        assertThat(number(table, "a", "bal")).isZero();
        assertThat(transfers.get() + withdrawals.get()).isEqualTo(funds);
        assertThat(number(table, "b", "bal")).isEqualTo(transfers.get());
        assertThat(transfers.get()).isPositive();
        assertThat(withdrawals.get()).isPositive();
        assertThat(conflicts.get()).as("the race met transactions in flight").isPositive();
    }

    @Test
    void transactGetDuringTransfers_alwaysSeesTheTotal() throws Exception {
        String table = TransactionClient.newTable(client);
        int each = 100;
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("a"), "bal", n(each))));
        client.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("b"), "bal", n(each))));
        AtomicInteger writersLeft = new AtomicInteger(THREADS - (THREADS + 2) / 3);
        ConcurrentLinkedQueue<Long> totals = new ConcurrentLinkedQueue<>();
        AtomicInteger readConflicts = new AtomicInteger();
        AtomicInteger applied = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            if (t % 3 == 0) {
                tasks.add(() -> {
                    while (writersLeft.get() > 0) {
                        try {
                            var response = client.transactGetItems(b -> b.transactItems(
                                    TransactGetItem.builder().get(Get.builder().tableName(table).key(key("a")).build()).build(),
                                    TransactGetItem.builder().get(Get.builder().tableName(table).key(key("b")).build()).build()));
                            totals.add(response.responses().stream().mapToLong(r -> Long.parseLong(r.item().get("bal").n())).sum());
                        } catch (TransactionCanceledException e) {
                            assertThat(conflicted(e)).as("a read is cancelled only by a transfer in flight").isTrue();
                            readConflicts.incrementAndGet();
                            backOff();
                        }
                    }
                    return null;
                });
            } else {
                tasks.add(() -> {
                    try {
                        applied.addAndGet(transfers(table, id));
                    } finally {
                        writersLeft.decrementAndGet();
                    }
                    return null;
                });
            }
        }
        race(tasks);

        assertThat(applied.get()).isPositive();
        assertThat(totals).isNotEmpty().containsOnly(2L * each);
        assertThat(readConflicts.get()).as("reads met transfers in flight").isPositive();
        assertThat(number(table, "a", "bal") + number(table, "b", "bal")).isEqualTo(2L * each);
    }

    /**
     * Twenty transfers between a and b, each conditional on the balance it takes from, one resent after a conflict;
     * returns how many applied.
     */
    private static int transfers(String table, int id) throws InterruptedException {
        int applied = 0;
        for (int i = 0; i < 20; i++) {
            String from = (id + i) % 2 == 0 ? "a" : "b";
            String to = from.equals("a") ? "b" : "a";
            long amount = 1 + (id + i) % 7;
            try {
                client.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(from))
                                .updateExpression("ADD bal :minus").conditionExpression("bal >= :x")
                                .expressionAttributeValues(Map.of(":minus", n(-amount), ":x", n(amount))).build()).build(),
                        TransactWriteItem.builder().update(Update.builder().tableName(table).key(key(to))
                                .updateExpression("ADD bal :x")
                                .expressionAttributeValues(Map.of(":x", n(amount))).build()).build()));
                applied++;
            } catch (TransactionCanceledException cancelled) {
                // Nothing moved: the condition protected the balance, or the transfer met another in flight.
                if (conflicted(cancelled)) {
                    backOff();
                    i--;
                }
            }
        }
        return applied;
    }

    @Test
    void sameTokenSentByManyClientsAtOnce_appliedOnce_othersInProgressOrReplayed() throws Exception {
        String table = TransactionClient.newTable(client);
        TransactWriteItemsRequest request = markerAndCounter(table, "u1").toBuilder()
                .clientRequestToken(UUID.randomUUID().toString()).build();
        List<Callable<String>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            tasks.add(() -> {
                try {
                    client.transactWriteItems(request);
                    return "ok";
                } catch (TransactionInProgressException inProgress) {
                    return "in progress";
                }
            });
        }

        List<String> outcomes = race(tasks);
        assertThat(outcomes).hasSize(THREADS).containsOnly("ok", "in progress").contains("ok", "in progress");
        assertThat(number(table, "c#1", "unique_users")).isEqualTo(1);
        assertThat(number(table, "c#1", "clicks")).isEqualTo(1);
        // Once it completed, each resend is answered as the first: success, nothing applied again.
        client.transactWriteItems(request);
        assertThat(number(table, "c#1", "clicks")).isEqualTo(1);
    }

    @Test
    void sameTokenSentByManyClientsAtOnce_sdkRetriesInProgressAsThrottling_allSucceed_appliedOnce() throws Exception {
        String table = TransactionClient.newTable(client);
        TransactWriteItemsRequest request = markerAndCounter(table, "u1").toBuilder()
                .clientRequestToken(UUID.randomUUID().toString()).build();
        try (DynamoDbClient retrying = DynamoDbClient.builder().endpointOverride(dynalite.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    retrying.transactWriteItems(request);
                    return "ok";
                });
            }

            assertThat(race(tasks)).hasSize(THREADS).containsOnly("ok");
        }
        assertThat(number(table, "c#1", "unique_users")).isEqualTo(1);
        assertThat(number(table, "c#1", "clicks")).isEqualTo(1);
    }
}
