package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.LocalRunnerFixture;
import com.hourlyanalytics.it.fixture.SoloClasses;
import com.hourlyanalytics.local.LocalRunner;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API over HTTP through the local runner, its own dynalite and the real handlers. */
@Tag(SoloClasses.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRunnerHttpIT {

    @RegisterExtension
    final LocalRunnerFixture runner = LocalRunnerFixture.in(mode());

    /** Where the handlers run; a subclass overrides it to run every test here in the other mode. */
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.IN_PROCESS;
    }

    boolean handlersInProcess() {
        return mode() == LocalRunner.Mode.IN_PROCESS;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void post_contractRunningSequence_eachStepAnswersAsSpecified() {
        long h = runner.freshHour();
        assertThat(runner.api().post(h + 1, "u1", "click").statusCode()).isEqualTo(204);
        assertThat(runner.api().counts(h)).isEqualTo("1,1,0");
        runner.api().post(h + 2, "u1", "click");
        assertThat(runner.api().counts(h)).isEqualTo("1,2,0");
        runner.api().post(h + 3, "u2", "impression");
        assertThat(runner.api().counts(h)).isEqualTo("2,2,1");
        runner.api().post(h + 4, "U1", "impression");
        assertThat(runner.api().counts(h)).isEqualTo("3,2,2");
    }

    @Test
    void post_answers204WithEmptyBody() {
        HttpResponse<String> response = runner.api().post(runner.freshHour(), "u", "click");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void get_emptyHour_answersZerosAsPlainText() {
        HttpResponse<String> response = runner.api().get(runner.freshHour());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
    }

    @Test
    void get_anyInstantOfTheHour_readsThatHour() {
        long h = runner.freshHours(2);
        runner.api().post(h + 3_599_999, "u", "click");
        runner.api().post(h + 3_600_000, "u", "impression");

        assertThat(runner.api().counts(h)).isEqualTo("1,1,0");
        assertThat(runner.api().counts(h + 3_599_999)).isEqualTo("1,1,0");
        assertThat(runner.api().counts(h + 3_600_000)).isEqualTo("1,0,1");
    }

    /** As the seed's {@code ab -n 1000 -c 50}: the same request 1000 times from 50 concurrent clients; every answer. */
    private static List<HttpResponse<String>> ab(Callable<HttpResponse<String>> request) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(50);
        try {
            List<Future<HttpResponse<String>>> pending = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                pending.add(clients.submit(request));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : pending) {
                answers.add(answer.get());
            }
            return answers;
        } finally {
            clients.shutdown();
        }
    }

    @Test
    void post_seedLoadCommand_thousandClicksFromFiftyClientsCountOneUser() throws Exception {
        // The original `ab -n 1000 -c 50 -m POST ...` against a dedicated hour.
        long timestamp = runner.freshHour() + 42;

        assertThat(ab(() -> runner.api().post(timestamp, "user2", "click"))).extracting(HttpResponse::statusCode).containsOnly(204);

        assertThat(runner.api().counts(timestamp)).isEqualTo("1,1000,0");
    }

    @Test
    void get_seedLoadCommand_thousandReadsFromFiftyClientsAllAnswerTheCounts() throws Exception {
        // The original `ab -n 1000 -c 50 ".../analytics?timestamp=..."`, on an hour with a few events.
        long timestamp = runner.freshHour() + 42;
        runner.api().post(timestamp, "user2", "click");
        runner.api().post(timestamp, "user2", "click");
        runner.api().post(timestamp, "user3", "impression");

        assertThat(ab(() -> runner.api().get(timestamp))).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("unique_users,2\nclicks,2\nimpressions,1\n");
        });
    }

    /**
     * In-process only: the model is the handlers' and the store's, the same in both modes; through {@code --lambda},
     * the seed's loads above (50 clients) and ResendUntilAcknowledgedIT (16 clients over three hours) count exactly.
     */
    @Test
    @EnabledIf("handlersInProcess")
    void post_eightClientsMixedEventsOverSeveralHours_matchesModelExactly() throws Exception {
        int hours = 6;
        long first = runner.freshHours(hours);
        int clients = 8;
        int perClient = 250;
        Map<Long, Set<String>> usersByHour = new HashMap<>();
        Map<Long, long[]> eventsByHour = new HashMap<>();
        List<List<String>> plans = new ArrayList<>();
        Random random = new Random(7);
        for (int c = 0; c < clients; c++) {
            List<String> plan = new ArrayList<>();
            for (int i = 0; i < perClient; i++) {
                long hourStart = first + random.nextInt(hours) * 3_600_000L;
                long timestamp = hourStart + random.nextInt(3_600_000);
                String user = "user-" + random.nextInt(150);
                boolean click = random.nextBoolean();
                usersByHour.computeIfAbsent(hourStart, k -> new HashSet<>()).add(user);
                eventsByHour.computeIfAbsent(hourStart, k -> new long[2])[click ? 0 : 1]++;
                plan.add(timestamp + "&user=" + user + "&event=" + (click ? "click" : "impression"));
            }
            plans.add(plan);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (List<String> plan : plans) {
            results.add(pool.submit(() -> plan.stream()
                    .map(query -> runner.api().send("POST", "/analytics?timestamp=" + query).statusCode()).toList()));
        }
        for (Future<List<Integer>> result : results) {
            assertThat(result.get()).containsOnly(204);
        }
        pool.shutdown();

        for (int h = 0; h < hours; h++) {
            long hourStart = first + h * 3_600_000L;
            long[] events = eventsByHour.get(hourStart);
            assertThat(runner.api().counts(hourStart))
                    .as("hour %d", h)
                    .isEqualTo(usersByHour.get(hourStart).size() + "," + events[0] + "," + events[1]);
        }
    }

    @Test
    void post_unicodeUserPercentEncoded_isOneUserCaseSensitive() {
        long h = runner.freshHour();
        runner.api().post(h, encode("Zoë 😀#1"), "click");
        runner.api().post(h, encode("Zoë 😀#1"), "impression");
        runner.api().post(h, encode("zoë 😀#1"), "click");

        assertThat(runner.api().counts(h)).isEqualTo("2,2,1");
    }

    @Test
    void post_plusInQuery_decodesToSpaceAsApiGatewayDoes() {
        long h = runner.freshHour();
        runner.api().post(h, "a+b", "click");
        runner.api().post(h, "a%20b", "click");

        assertThat(runner.api().counts(h)).isEqualTo("1,2,0");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "user=u&event=click                          | missing query parameter 'timestamp'",
        "timestamp=abc&user=u&event=click            | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "timestamp=&user=u&event=click               | query parameter 'timestamp' is empty",
        "timestamp=-5&user=u&event=click             | query parameter 'timestamp' must not be negative",
        "timestamp=253402300800000&user=u&event=click | query parameter 'timestamp' is out of range (0 to 253402300799999)",
        "timestamp=T&timestamp=T&user=u&event=click  | query parameter 'timestamp' is repeated; send it once",
        "timestamp=T&user=u&event=purchase           | query parameter 'event' must be 'click' or 'impression'",
        "timestamp=T&user=u&event=Impression         | query parameter 'event' must be 'click' or 'impression'",
        "timestamp=T&user=u                          | missing query parameter 'event'",
        "timestamp=T&user=&event=click               | query parameter 'user' is empty",
        "timestamp=T&event=click                     | missing query parameter 'user'",
        "timestamp=T&user=a%0Ab&event=click          | query parameter 'user' contains a control character",
        "timestamp=T&user=%20&event=click            | query parameter 'user' is blank",
        "timestamp=T&user=u&user=v&event=click       | query parameter 'user' is repeated; send it once",
        "timestamp=T&user=%C3%28&event=click         | query string is not valid UTF-8 once percent-decoded",
    })
    void post_badInput_answers400WithOneLineAndCountsNothing(String query, String message) {
        long h = runner.freshHour();
        HttpResponse<String> response = runner.api().send("POST", "/analytics?" + query.replace("T", Long.toString(h + 5)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(response.body()).isEqualTo(message + "\n");
        assertThat(runner.api().counts(h)).isEqualTo("0,0,0");
    }

    @Test
    void post_malformedPercentEscape_isRejectedBeforeTheHandler() {
        long h = runner.freshHour();
        // The JDK HTTP server refuses such a request line itself (400, its own HTML body).
        assertThat(runner.api().rawStatus("POST", "/analytics?timestamp=" + h + "&user=%ZZ&event=click")).isEqualTo(400);
        assertThat(runner.api().counts(h)).isEqualTo("0,0,0");
    }

    @Test
    void post_userOver256Bytes_answers400AndCountsNothing() {
        long h = runner.freshHour();
        HttpResponse<String> response = runner.api().post(h, encode("é".repeat(129)), "click");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("query parameter 'user' is longer than 256 UTF-8 bytes\n");
        assertThat(runner.api().counts(h)).isEqualTo("0,0,0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/analytics?timestamp=", "/analytics?timestamp=1.5", "/analytics", "/analytics?timestamp=1&timestamp=2"})
    void get_badTimestamp_answers400(String pathAndQuery) {
        HttpResponse<String> response = runner.api().send("GET", pathAndQuery);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).endsWith("\n").doesNotContain("Exception");
        assertThat(response.body().strip()).doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "PATCH"})
    void otherMethods_onAnalytics_answer405WithAllow(String method) {
        HttpResponse<String> response = runner.api().send(method, "/analytics?timestamp=0&user=u&event=click");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, POST");
        assertThat(runner.api().counts(0)).isEqualTo("0,0,0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/analytic", "/analytics/x", "/Analytics"})
    void unknownPaths_answer404(String path) {
        HttpResponse<String> response = runner.api().send("GET", path + "?timestamp=0");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("no such resource; use /analytics\n");
    }
}
