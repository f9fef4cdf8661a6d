package com.hourlyanalytics.it.http;

import static com.hourlyanalytics.it.http.Fuzz.choice;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.LocalRunnerFixture;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.HttpApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile and sloppy requests through the local runner, byte for byte on a socket: query strings with
 * percent-encoding, '+', invalid or overlong UTF-8, control characters, overlong values, repeated or
 * encoded keys, odd separators; any method; odd paths. The invariant: never a 5xx or a dropped connection,
 * a 204 counts exactly one event and one user, anything else changes nothing. Each try gets two fresh
 * hours of its own ({t0} and {t1} in the templates), so its effect can be read back exactly.
 * Inputs come from a seeded {@link Fuzz}: {@code -Dfuzz.seed=N} replays a run, {@code -Dfuzz.tries=N} resizes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT {

    @RegisterExtension
    final LocalRunnerFixture runner = LocalRunnerFixture.in(mode()).withContainers(1);

    /** Where the handlers run; a subclass overrides it to run every test here in the other mode. */
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.IN_PROCESS;
    }

    /** A request whose target may hold {t0} and {t1} (instants in two fresh hours) and {t0%} ({t0}, every digit escaped). */
    record Request(String method, String target) {
        String resolve(long t0, long t1) {
            StringBuilder escaped = new StringBuilder();
            Long.toString(t0).chars().forEach(digit -> escaped.append("%3").append((char) digit));
            return target.replace("{t0%}", escaped).replace("{t0}", Long.toString(t0)).replace("{t1}", Long.toString(t1));
        }
    }

    @Test
    void anyRequest_neverServerError_a204CountsExactlyOnce_anythingElseChangesNothing() {
        Fuzz fuzz = Fuzz.fromSystemProperties();
        int tries = Fuzz.tries(300);
        announce("anyRequest", fuzz, tries);
        SortedMap<Integer, Integer> statuses = new TreeMap<>();
        for (int attempt = 1; attempt <= tries; attempt++) {
            long first = runner.freshHours(2);
            long second = first + 3_600_000L;
            Request request = request(fuzz);
            String target = request.resolve(first + 1234, second + 5678);
            String context = tryContext(fuzz, attempt, tries, request.method() + " " + target);

            HttpApi.RawResponse response = runner.api().raw(request.method(), target);

            statuses.merge(response.status(), 1, Integer::sum);
            assertThat(response.status()).as("status, %s", context).isBetween(200, 499);
            // No stack trace. (The JDK server's own 400 for a request line it cannot parse names the exception class.)
            assertThat(response.body()).as("body, %s", context).doesNotContain("\tat ");
            long[] firstCounts = counts(first);
            long[] secondCounts = counts(second);
            long users = firstCounts[0] + secondCounts[0];
            long events = firstCounts[1] + firstCounts[2] + secondCounts[1] + secondCounts[2];
            assertThat(new long[] {users, events}).as("users, events after a %d, %s", response.status(), context)
                    .containsExactly(response.status() == 204 ? new long[] {1, 1} : new long[] {0, 0});
        }
        System.out.printf("HostileInputIT anyRequest: statuses over %d tries: %s%n", tries, distribution(statuses, tries));
        // Coverage: a run that hardly reaches the handler, or hardly gets past validation, proves little.
        assertThat(percent(statuses, 204, tries)).as("%% of 204s (seed %d): %s", fuzz.seed(), statuses).isGreaterThanOrEqualTo(10);
        assertThat(percent(statuses, 400, tries)).as("%% of 400s (seed %d): %s", fuzz.seed(), statuses).isGreaterThanOrEqualTo(20);
    }

    @Test
    void anyEncodingOfAValidUser_countsAsThatUser() {
        Fuzz fuzz = Fuzz.fromSystemProperties();
        int tries = Fuzz.tries(100);
        announce("anyEncoding", fuzz, tries);
        for (int attempt = 1; attempt <= tries; attempt++) {
            long hour = runner.freshHour();
            String user = validUser(fuzz);
            String encoded = encode(user, fuzz.listOf(1, 8, () -> fuzz.between(0, 3)));
            String canonical = URLEncoder.encode(user, StandardCharsets.UTF_8);
            String context = tryContext(fuzz, attempt, tries, "POST /analytics?timestamp=" + (hour + 1) + "&user=" + encoded + "&event=click");

            assertThat(runner.api().post(hour + 1, encoded, "click").statusCode()).as("status, %s", context).isEqualTo(204);
            assertThat(runner.api().post(hour + 2, canonical, "impression").statusCode()).as("status of user=%s, %s", canonical, context)
                    .isEqualTo(204);

            assertThat(runner.api().counts(hour)).as("the same user, encoded and as %s, %s", canonical, context).isEqualTo("1,1,1");
        }
    }

    private static void announce(String property, Fuzz fuzz, int tries) {
        System.out.printf("HostileInputIT %s: seed %d, %d tries (replay: -Dfuzz.seed=%d -Dfuzz.tries=%d)%n",
                property, fuzz.seed(), tries, fuzz.seed(), tries);
    }

    /** What a failure message needs to replay the try: seed, try number, and the request exactly as sent. */
    private static String tryContext(Fuzz fuzz, int attempt, int tries, String request) {
        return "seed %d, try %d of %d, request (Java escapes for bytes outside printable ASCII) [%s]"
                .formatted(fuzz.seed(), attempt, tries, escapeJava(request));
    }

    private static String escapeJava(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c == '\\' ? "\\\\" : c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : "\\u%04x".formatted(c)));
        return out.toString();
    }

    private static long percent(Map<Integer, Integer> statuses, int status, int tries) {
        return 100L * statuses.getOrDefault(status, 0) / tries;
    }

    private static String distribution(Map<Integer, Integer> statuses, int tries) {
        return statuses.entrySet().stream()
                .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
                .map(entry -> String.format(Locale.ROOT, "%d x%d (%.1f %%)", entry.getKey(), entry.getValue(), 100.0 * entry.getValue() / tries))
                .collect(Collectors.joining(", "));
    }

    private long[] counts(long hourStart) {
        String[] counts = runner.api().counts(hourStart).split(",");
        return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1]), Long.parseLong(counts[2])};
    }

    // The hostile-request generator. Weights: mostly a request that could be valid, with one part gone wrong now and then.

    private static final List<Fuzz.Choice<String>> METHODS = List.of(choice(30, "POST"), choice(2, "GET"), choice(1, "PUT"),
            choice(1, "DELETE"), choice(1, "PATCH"), choice(1, "HEAD"), choice(1, "OPTIONS"), choice(1, "post"), choice(1, "FOO"));
    private static final List<Fuzz.Choice<String>> PATHS = List.of(choice(60, "/analytics"), choice(1, "/"), choice(1, "/analytics/"),
            choice(1, "/Analytics"), choice(1, "/analytics/x"), choice(1, "//analytics"), choice(1, "/%61nalytics"),
            choice(1, "/analytics%2F"), choice(1, "/analytics;a=b"), choice(1, "/x/../analytics"), choice(1, "/analyticsx"));
    private static final List<Fuzz.Choice<String>> QUERY_PREFIXES = List.of(choice(20, "?"), choice(1, ""), choice(1, "??"));
    private static final List<Fuzz.Choice<String>> SEPARATORS = List.of(choice(20, "&"), choice(1, "&&"), choice(1, ";"));
    private static final List<Fuzz.Choice<String>> QUERY_SUFFIXES = List.of(choice(20, ""), choice(1, "&"), choice(1, "#fragment"));

    /** A query parameter: its key (mostly as is) and its value, drawn from valid values 20 times to 3 hostile ones. */
    record Param(List<Fuzz.Choice<String>> keys, List<String> valid, List<String> hostile) {
        /** The key mostly as is, sometimes escaped (the same key once decoded) or misspelt. */
        Param(String key, List<String> valid, List<String> hostile) {
            this(List.of(choice(40, key), choice(1, "%" + HexFormat.of().toHexDigits((byte) key.charAt(0)) + key.substring(1)),
                    choice(1, key.toUpperCase(Locale.ROOT)), choice(1, key + "%20"), choice(1, key + "[]")), valid, hostile);
        }

        String pair(Fuzz fuzz) {
            return fuzz.weighted(keys) + "=" + fuzz.oneOf(fuzz.weighted(List.of(choice(20, valid), choice(3, hostile))));
        }
    }

    private static final Param TIMESTAMP = new Param("timestamp", List.of("{t0}", "{t1}", "000{t0}", "{t0%}"),
            List.of("", "-1", "-{t0}", "1e3", "0x10", "{t0}.0", "+{t0}", "%20{t0}", "{t0}%00", "{t0}{t0}",
                    "99999999999999999999", "253402300800000", "9223372036854775808", "%D9%A1%D9%A2", "%2B{t0}",
                    "%", "%G1", "{t0}%", "\u00b9{t0}"));
    private static final Param USER = new Param("user", List.of("u1", "user%20one", "a+b", "%F0%9F%98%80", "Zo%C3%AB", "%E4%B8%AD",
            "%26%3D%23%25", "x".repeat(256), "%C3%A9".repeat(128), "\u00c3\u00a9", "!$'()*,:@/?"),
            List.of("", "%20", "+", "%00", "a%0Ab", "%7F", "%C2%85", "%C3%28", "%FF", "%C0%AF", "%ED%A0%80",
                    "%F4%90%80%80", "%E2%82", "%", "%Z1", "%4", "x".repeat(257), "%C3%A9".repeat(129),
                    "%F0%9F%98%80".repeat(65), "x".repeat(20_000), "\u00ff\u00fe", "a\u0080b"));
    private static final Param EVENT = new Param("event", List.of("click", "impression", "%63lick", "impr%65ssion"),
            List.of("", "CLICK", "Click", "click%20", "click+", "clicks", "%00click", "purchase",
                    "click%00", "impression".repeat(1000), "cl\u00edck"));
    private static final List<Param> PARAMS = List.of(TIMESTAMP, USER, EVENT);
    private static final List<String> JUNK = List.of("", "=", "a", "a=", "=b", "foo=bar", "%=%", "user", "event=", "timestamp", "==", "&");
    /** What a chaotic query is made of: any parameter, or junk. */
    private static final List<Function<Fuzz, String>> ANY_PAIR = List.of(TIMESTAMP::pair, USER::pair, EVENT::pair, fuzz -> fuzz.oneOf(JUNK));

    private enum QueryShape { WELL_FORMED, REPEATED_KEY, CHAOTIC }

    private static final List<Fuzz.Choice<QueryShape>> QUERY_SHAPES = List.of(choice(6, QueryShape.WELL_FORMED),
            choice(2, QueryShape.REPEATED_KEY), choice(2, QueryShape.CHAOTIC));

    private static Request request(Fuzz fuzz) {
        String method = fuzz.weighted(METHODS);
        String path = fuzz.weighted(PATHS);
        List<String> pairs = switch (fuzz.weighted(QUERY_SHAPES)) {
            case WELL_FORMED -> wellFormed(fuzz);
            case REPEATED_KEY -> {
                List<String> all = new ArrayList<>(wellFormed(fuzz));
                all.add(fuzz.oneOf(PARAMS).pair(fuzz));
                yield all;
            }
            case CHAOTIC -> fuzz.listOf(0, 6, () -> fuzz.oneOf(ANY_PAIR).apply(fuzz));
        };
        String query = fuzz.weighted(QUERY_PREFIXES) + String.join(fuzz.weighted(SEPARATORS), pairs) + fuzz.weighted(QUERY_SUFFIXES);
        return new Request(method, path + query);
    }

    /** The three parameters, once each, in any order. */
    private static List<String> wellFormed(Fuzz fuzz) {
        return fuzz.shuffled(PARAMS.stream().map(param -> param.pair(fuzz)).toList());
    }

    // The valid-user generator: printable ASCII 6 times to 1 non-ASCII (accents, CJK, emoji, NBSP, BOM).

    private static final List<Integer> PRINTABLE_ASCII = IntStream.rangeClosed(0x20, 0x7e).boxed().toList();
    private static final List<Integer> NON_ASCII = List.of(0xe9, 0xdf, 0x3a9, 0x4e2d, 0x1f600, 0x10348, 0xa0, 0xfeff);
    private static final List<Fuzz.Choice<List<Integer>>> CODE_POINT_POOLS = List.of(choice(6, PRINTABLE_ASCII), choice(1, NON_ASCII));

    /** 1 to 30 code points, not all blank. */
    private static String validUser(Fuzz fuzz) {
        while (true) {
            StringBuilder user = new StringBuilder();
            fuzz.listOf(1, 30, () -> fuzz.oneOf(fuzz.weighted(CODE_POINT_POOLS))).forEach(user::appendCodePoint);
            if (!user.toString().isBlank()) {
                return user.toString();
            }
        }
    }

    /**
     * Encodes each code point one of the ways a client may: unreserved characters raw, a space as '+',
     * or every UTF-8 byte as %XX in upper or lower case; the choice cycles through {@code encodings}.
     */
    private static String encode(String user, List<Integer> encodings) {
        StringBuilder out = new StringBuilder();
        int[] codePoints = user.codePoints().toArray();
        for (int i = 0; i < codePoints.length; i++) {
            int codePoint = codePoints[i];
            int choice = encodings.get(i % encodings.size());
            if (choice == 0 && codePoint < 0x80 && (Character.isLetterOrDigit(codePoint) || "-._~!$'()*,:@/?".indexOf(codePoint) >= 0)) {
                out.appendCodePoint(codePoint);
            } else if (codePoint == ' ' && choice != 3) {
                out.append('+');
            } else {
                for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
                    String hex = HexFormat.of().toHexDigits(b);
                    out.append('%').append(choice == 1 ? hex.toUpperCase() : hex);
                }
            }
        }
        return out.toString();
    }
}
