package com.hourlyanalytics.it.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.testing.ApiEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The local API as API Gateway: {@code ./run --api-key ...} as a real process, its keys, usage plan and quota
 * (tightened with {@code --parameter-overrides}), and the integration timeout (shortened with
 * {@code --integration-timeout} in front of a store made slow by a proxy). {@link GatewayLambdaIT} runs every
 * test through {@code --lambda}. Key values are secrets: no line the runner writes may carry one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {

    private static final String P1 = "gw-secret-value-p1-Zq9";
    private static final String P2 = "gw-secret-value-p2-Xr4";
    private static final String P3 = "gw-secret-value-p3-Wm2";
    private static final String WARM = "gw-secret-value-warm-Vk7";
    private static final String FLOODER = "gw-secret-value-b1-Tn5";
    private static final String NEIGHBOUR = "gw-secret-value-b2-Ql8";
    private static final int BURST = 4;
    private static final int BATCH_BURST = 2;
    private static final int QUOTA = 8;
    /** What the deployed API answers itself: template.yaml's GatewayResponses, read as the runner reads them. */
    private static final GatewayResponses DEPLOYED = GatewayResponses.fromTemplate(ApiEvents.repoRoot().resolve("template.yaml"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final AtomicLong hoursBack = new AtomicLong();
    private final long startHour = Hour.containing(System.currentTimeMillis()).startMillis();
    private final List<Path> folders = new ArrayList<>();
    private RunnerProcess keyed;

    LocalRunner.Mode mode() {
        return LocalRunner.Mode.IN_PROCESS;
    }

    @BeforeAll
    void startKeyedRunner() throws Exception {
        // One container per function (--lambda): a burst queues for the warm one instead of starting cold ones, whose
        // simultaneous starts on a busy machine can delay store calls into 503s and make the counts inexact.
        keyed = start(List.of("--containers", "1", "--api-key", "p1=" + P1, "--api-key", "p2=" + P2, "--api-key", "p3=" + P3,
                "--api-key", "warm=" + WARM, "--api-key", "b1=" + FLOODER, "--api-key", "b2=" + NEIGHBOUR,
                "--parameter-overrides", "ThrottleRateLimit=2 ThrottleBurstLimit=" + BURST + " QuotaLimit=" + QUOTA + " QuotaPeriod=DAY"
                        + " BatchThrottleRateLimit=1 BatchThrottleBurstLimit=" + BATCH_BURST),
                Map.of());
        // Warm the containers, so that --lambda's cold starts stay out of the tests.
        send(keyed, "POST", WARM, "/analytics?timestamp=" + freshHour() + "&user=w&event=click");
        send(keyed, "GET", WARM, "/analytics?timestamp=" + freshHour());
    }

    @AfterAll
    void stopAndCheckOutput() throws Exception {
        assertThat(keyed.terminate(Duration.ofSeconds(30))).isTrue();
        List<String> lines = keyed.output();
        assertThat(lines).anyMatch(line -> line.startsWith("gateway: x-api-key required, key ids b1, b2, p1, p2, p3, warm; per key 2 req/s, "
                + "burst 4 (/analytics/GET 10 req/s, burst 20; /analytics/batch/POST 1 req/s, burst 2)"));
        assertThat(lines).as("no key value in the runner's output").noneMatch(line -> line.contains("gw-secret-value"));
        http.close();
        for (Path folder : folders) {
            try (var files = Files.walk(folder)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private RunnerProcess start(List<String> options, Map<String, String> environment) throws Exception {
        Path data = Files.createTempDirectory("gateway-it");
        folders.add(data);
        return RunnerProcess.start(data, mode(), options, environment);
    }

    private long freshHour() {
        return startHour - hoursBack.incrementAndGet() * 3_600_000L;
    }

    private HttpResponse<String> send(RunnerProcess runner, String method, String key, String pathAndQuery) {
        return sendAsync(runner, method, key, pathAndQuery).join();
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(RunnerProcess runner, String method, String key, String pathAndQuery) {
        return sendAsync(runner, method, key, pathAndQuery, HttpRequest.BodyPublishers.noBody());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(RunnerProcess runner, String method, String key, String pathAndQuery,
                                                              HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runner.base() + pathAndQuery))
                .method(method, body).timeout(Duration.ofSeconds(60));
        if (key != null) {
            request.header("x-api-key", key);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String click(long hour, String user) {
        return "/analytics?timestamp=" + hour + "&user=" + user + "&event=click";
    }

    @Test
    void missingOrWrongKey_gets403_andCountsNothing() {
        long hour = freshHour();

        HttpResponse<String> none = send(keyed, "POST", null, click(hour, "u"));
        HttpResponse<String> wrong = send(keyed, "POST", "p1", click(hour, "u"));

        for (HttpResponse<String> response : List.of(none, wrong)) {
            assertDeployed(response, GatewayResponses.Type.INVALID_API_KEY);
        }
        assertThat(send(keyed, "GET", P2, "/analytics?timestamp=" + hour).body()).isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
    }

    @Test
    void unknownPath_withOrWithoutKey_getsMissingAuthenticationToken_beforeTheKeyCheck() {
        assertDeployed(send(keyed, "GET", null, "/nowhere"), GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN);
        assertDeployed(send(keyed, "POST", "wrong", "/analytics/batchx"), GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN);
        assertDeployed(send(keyed, "GET", P2, "/"), GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN);
    }

    /** The response is the deployed API's {@code type}: template.yaml's status, headers and body. */
    private static void assertDeployed(HttpResponse<String> response, GatewayResponses.Type type) {
        var expected = DEPLOYED.answer(type);
        assertThat(response.statusCode()).as("%s: %s", type, response.body()).isEqualTo(expected.getStatusCode());
        assertThat(response.body()).isEqualTo(expected.getBody());
        expected.getHeaders().forEach((name, value) -> assertThat(response.headers().firstValue(name)).as(name).hasValue(value));
    }

    @Test
    void burstPastTheKeysBucket_gets429_otherKeyStillServed_exactlyTheAcknowledgedCounted() throws Exception {
        long hour = freshHour();

        List<HttpResponse<String>> burst = IntStream.range(0, 3 * BURST)
                .mapToObj(i -> sendAsync(keyed, "POST", P1, click(hour, "user-" + i))).toList()
                .stream().map(CompletableFuture::join).toList();
        HttpResponse<String> otherKey = send(keyed, "POST", P2, click(freshHour(), "other"));

        long acknowledged = burst.stream().filter(r -> r.statusCode() == 204).count();
        List<HttpResponse<String>> throttled = burst.stream().filter(r -> r.statusCode() != 204).toList();
        assertThat(acknowledged).isBetween(1L, (long) BURST + 1);
        assertThat(throttled).isNotEmpty().allSatisfy(r -> assertDeployed(r, GatewayResponses.Type.THROTTLED));
        assertThat(otherKey.statusCode()).isEqualTo(204);
        // p1's read waits for its bucket's next token (2 a second); a throttled try takes none.
        assertThat(awaitStatus(keyed, "GET", P1, "/analytics?timestamp=" + hour, 200).body())
                .isEqualTo("unique_users," + acknowledged + "\nclicks," + acknowledged + "\nimpressions,0\n");
    }

    /**
     * One partner floods the batch route with as many batches at once as its key's bucket holds: the batch route's
     * own, smaller bucket refuses the excess with 429, and another partner's POSTs and GETs go on as if nothing
     * happened. Without the per-method limit every batch would pass: the key's bucket has room for all of them.
     */
    @Test
    void batchFlood_pastTheKeysBatchLimit_gets429_whileAnotherPartnersPostsAndGetsAnswer_andCountsAreExact() {
        int lines = 20;
        long floodHour = freshHour();
        long otherHour = freshHour();

        List<CompletableFuture<HttpResponse<String>>> flood = IntStream.range(0, BURST).mapToObj(b -> {
            StringBuilder body = new StringBuilder();
            IntStream.range(0, lines).forEach(i -> body.append(floodHour + i).append(",flood-").append(b).append('-').append(i).append(",click\n"));
            return sendAsync(keyed, "POST", FLOODER, "/analytics/batch", HttpRequest.BodyPublishers.ofString(body.toString()));
        }).toList();
        HttpResponse<String> firstPost = send(keyed, "POST", NEIGHBOUR, click(otherHour, "n1"));
        HttpResponse<String> secondPost = send(keyed, "POST", NEIGHBOUR, click(otherHour, "n2"));
        HttpResponse<String> duringFlood = send(keyed, "GET", NEIGHBOUR, "/analytics?timestamp=" + otherHour);
        List<HttpResponse<String>> floodAnswers = flood.stream().map(CompletableFuture::join).toList();

        long acknowledged = floodAnswers.stream().filter(r -> r.statusCode() == 204).count();
        List<HttpResponse<String>> refused = floodAnswers.stream().filter(r -> r.statusCode() != 204).toList();
        assertThat(acknowledged).as("the batch bucket's burst, plus at most one refill").isBetween(1L, (long) BATCH_BURST + 1);
        assertThat(refused).isNotEmpty().allSatisfy(r -> assertDeployed(r, GatewayResponses.Type.THROTTLED));
        assertThat(List.of(firstPost, secondPost)).extracting(HttpResponse::statusCode).containsExactly(204, 204);
        assertThat(duringFlood.statusCode()).isEqualTo(200);
        assertThat(duringFlood.body()).isEqualTo("unique_users,2\nclicks,2\nimpressions,0\n");
        // The refused batches gave the key's tokens back: the flooder can still read its own counts.
        assertThat(send(keyed, "GET", FLOODER, "/analytics?timestamp=" + floodHour).body())
                .isEqualTo("unique_users," + acknowledged * lines + "\nclicks," + acknowledged * lines + "\nimpressions,0\n");
    }

    @Test
    void pastTheQuota_gets429LimitExceeded_otherKeyStillServed() throws Exception {
        long hour = freshHour();
        int served = 0;
        HttpResponse<String> last;
        while (true) {
            last = send(keyed, "POST", P3, click(hour, "q"));
            if (last.statusCode() == 204) {
                served++;
            } else if (last.body().equals(DEPLOYED.answer(GatewayResponses.Type.THROTTLED).getBody())) {
                Thread.sleep(300); // the throttle, not the quota: wait for a token
            } else {
                break;
            }
        }

        assertThat(served).isEqualTo(QUOTA);
        assertDeployed(last, GatewayResponses.Type.QUOTA_EXCEEDED);
        assertDeployed(send(keyed, "POST", P3, click(hour, "q")), GatewayResponses.Type.QUOTA_EXCEEDED);
        assertThat(send(keyed, "POST", P2, click(hour, "q")).statusCode()).isEqualTo(204);
    }

    /**
     * API Gateway's 504 after the integration timeout (0.5 s here, 29 s by default), with a store that answers each
     * call 0.7 s late (inside the store client's 1 s attempt timeout), so a POST (one transaction) takes over 0.5 s:
     * the caller gets the 504, and the function still finishes and counts the event.
     */
    @Test
    void functionPastTheIntegrationTimeout_gets504_andMayStillCount() throws Exception {
        try (DynaliteProcess store = Emulator.start(); SlowStoreProxy slow = new SlowStoreProxy(store.endpoint())) {
            RunnerProcess runner = start(List.of("--integration-timeout", "0.5"), Map.of("DYNAMODB_ENDPOINT", slow.endpoint().toString()));
            try {
                long hour = freshHour();
                long warmHour = freshHour();
                awaitStatus(runner, "POST", null, click(warmHour, "w"), 204);
                awaitStatus(runner, "GET", null, "/analytics?timestamp=" + warmHour, 200);

                slow.delay(Duration.ofMillis(700));
                HttpResponse<String> late = send(runner, "POST", null, click(hour, "late"));
                slow.delay(Duration.ZERO);

                assertDeployed(late, GatewayResponses.Type.INTEGRATION_TIMEOUT);
                HttpResponse<String> counts = awaitStatus(runner, "GET", null, "/analytics?timestamp=" + hour, 200, "clicks,1");
                assertThat(counts.body()).isEqualTo("unique_users,1\nclicks,1\nimpressions,0\n");
            } finally {
                runner.terminate(Duration.ofSeconds(30));
            }
        }
    }

    /** Repeats until the runner answers with {@code status} (and the body holds {@code expected}), for at most 60 s. */
    private HttpResponse<String> awaitStatus(RunnerProcess runner, String method, String key, String pathAndQuery, int status,
                                             String... expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<String> response;
        do {
            response = send(runner, method, key, pathAndQuery);
            if (response.statusCode() == status && List.of(expected).stream().allMatch(response.body()::contains)) {
                return response;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return response;
    }
}
