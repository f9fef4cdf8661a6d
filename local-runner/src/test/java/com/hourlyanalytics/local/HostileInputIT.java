package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Hostile and sloppy requests through the local runner, byte for byte on a socket: query strings with
 * percent-encoding, '+', invalid or overlong UTF-8, control characters, overlong values, repeated or
 * encoded keys, odd separators; any method; odd paths. The invariant: never a 5xx or a dropped connection,
 * a 204 counts exactly one event and one user, anything else changes nothing. Each try gets two fresh
 * hours of its own ({t0} and {t1} in the templates), so its effect can be read back exactly.
 */
class HostileInputIT {

    private static final AtomicLong NEXT_HOUR_INDEX = new AtomicLong(440_000);
    private static LocalRunner runner;
    private static HttpApi api;

    @BeforeContainer
    static void start() throws IOException {
        runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), ApiEvents.repoRoot(), Map.of(),
                LocalApiServer.Limits.DEFAULT));
        api = new HttpApi(runner.baseUri());
    }

    @AfterContainer
    static void stop() {
        runner.close();
    }

    /** A request whose target may hold {t0} and {t1} (instants in two fresh hours) and {t0%} ({t0}, every digit escaped). */
    record Request(String method, String target) {
        String resolve(long t0, long t1) {
            StringBuilder escaped = new StringBuilder();
            Long.toString(t0).chars().forEach(digit -> escaped.append("%3").append((char) digit));
            return target.replace("{t0%}", escaped).replace("{t0}", Long.toString(t0)).replace("{t1}", Long.toString(t1));
        }
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void anyRequest_neverServerError_a204CountsExactlyOnce_anythingElseChangesNothing(@ForAll("requests") Request request) {
        long first = NEXT_HOUR_INDEX.getAndAdd(2) * 3_600_000L;
        long second = first + 3_600_000L;

        HttpApi.RawResponse response = api.raw(request.method(), request.resolve(first + 1234, second + 5678));

        Statistics.label("status").collect(response.status());
        assertThat(response.status()).as("status of %s", request).isBetween(200, 499);
        // No stack trace. (The JDK server's own 400 for a request line it cannot parse names the exception class.)
        assertThat(response.body()).doesNotContain("\tat ");
        long[] firstCounts = counts(first);
        long[] secondCounts = counts(second);
        long users = firstCounts[0] + secondCounts[0];
        long events = firstCounts[1] + firstCounts[2] + secondCounts[1] + secondCounts[2];
        if (response.status() == 204) {
            assertThat(new long[] {users, events}).as("users, events after a 204 to %s", request).containsExactly(1, 1);
        } else {
            assertThat(new long[] {users, events}).as("users, events after a %d to %s", response.status(), request)
                    .containsExactly(0, 0);
        }
        Statistics.label("status").coverage(coverage -> {
            coverage.check(204).percentage(p -> p >= 10);
            coverage.check(400).percentage(p -> p >= 20);
        });
    }

    @Property(tries = 100)
    void anyEncodingOfAValidUser_countsAsThatUser(@ForAll("validUsers") String user,
                                                  @ForAll @Size(min = 1, max = 8) List<@IntRange(max = 3) Integer> encodings) {
        long hour = NEXT_HOUR_INDEX.getAndAdd(2) * 3_600_000L;
        String encoded = encode(user, encodings);

        assertThat(api.post(hour + 1, encoded, "click").statusCode()).as("POST user=%s", encoded).isEqualTo(204);
        assertThat(api.post(hour + 2, URLEncoder.encode(user, StandardCharsets.UTF_8), "impression").statusCode()).isEqualTo(204);

        assertThat(api.counts(hour)).as("the same user, encoded as %s and canonically", encoded).isEqualTo("1,1,1");
    }

    private static long[] counts(long hourStart) {
        String[] counts = api.counts(hourStart).split(",");
        return new long[] {Long.parseLong(counts[0]), Long.parseLong(counts[1]), Long.parseLong(counts[2])};
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<String> methods = Arbitraries.frequency(Tuple.of(30, "POST"), Tuple.of(2, "GET"), Tuple.of(1, "PUT"),
                Tuple.of(1, "DELETE"), Tuple.of(1, "PATCH"), Tuple.of(1, "HEAD"), Tuple.of(1, "OPTIONS"),
                Tuple.of(1, "post"), Tuple.of(1, "FOO"));
        Arbitrary<String> paths = Arbitraries.frequency(Tuple.of(60, "/analytics"), Tuple.of(1, "/"), Tuple.of(1, "/analytics/"),
                Tuple.of(1, "/Analytics"), Tuple.of(1, "/analytics/x"), Tuple.of(1, "//analytics"), Tuple.of(1, "/%61nalytics"),
                Tuple.of(1, "/analytics%2F"), Tuple.of(1, "/analytics;a=b"), Tuple.of(1, "/x/../analytics"), Tuple.of(1, "/analyticsx"));
        Arbitrary<String> timestamp = pair("timestamp", Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("{t0}", "{t1}", "000{t0}", "{t0%}")),
                Tuple.of(3, Arbitraries.of("", "-1", "-{t0}", "1e3", "0x10", "{t0}.0", "+{t0}", "%20{t0}", "{t0}%00", "{t0}{t0}",
                        "99999999999999999999", "253402300800000", "9223372036854775808", "%D9%A1%D9%A2", "%2B{t0}",
                        "%", "%G1", "{t0}%", "\u00b9{t0}"))));
        Arbitrary<String> user = pair("user", Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("u1", "user%20one", "a+b", "%F0%9F%98%80", "Zo%C3%AB", "%E4%B8%AD", "%26%3D%23%25",
                        "x".repeat(256), "%C3%A9".repeat(128), "\u00c3\u00a9", "!$'()*,:@/?")),
                Tuple.of(3, Arbitraries.of("", "%20", "+", "%00", "a%0Ab", "%7F", "%C2%85", "%C3%28", "%FF", "%C0%AF", "%ED%A0%80",
                        "%F4%90%80%80", "%E2%82", "%", "%Z1", "%4", "x".repeat(257), "%C3%A9".repeat(129),
                        "%F0%9F%98%80".repeat(65), "x".repeat(20_000), "\u00ff\u00fe", "a\u0080b"))));
        Arbitrary<String> event = pair("event", Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.of("click", "impression", "%63lick", "impr%65ssion")),
                Tuple.of(3, Arbitraries.of("", "CLICK", "Click", "click%20", "click+", "clicks", "%00click", "purchase",
                        "click%00", "impression".repeat(1000), "cl\u00edck"))));
        Arbitrary<String> junk = Arbitraries.of("", "=", "a", "a=", "=b", "foo=bar", "%=%", "user", "event=", "timestamp", "==", "&");
        Arbitrary<List<String>> wellFormed = Combinators.combine(timestamp, user, event).as(List::of).flatMap(Arbitraries::shuffle);
        Arbitrary<List<String>> repeated = Combinators.combine(wellFormed, Arbitraries.oneOf(timestamp, user, event))
                .as((pairs, again) -> {
                    List<String> all = new ArrayList<>(pairs);
                    all.add(again);
                    return all;
                });
        Arbitrary<List<String>> chaotic = Arbitraries.oneOf(timestamp, user, event, junk).list().ofMaxSize(6);
        Arbitrary<String> query = Combinators.combine(
                Arbitraries.frequency(Tuple.of(20, "?"), Tuple.of(1, ""), Tuple.of(1, "??")),
                Arbitraries.frequencyOf(Tuple.of(6, wellFormed), Tuple.of(2, repeated), Tuple.of(2, chaotic)),
                Arbitraries.frequency(Tuple.of(20, "&"), Tuple.of(1, "&&"), Tuple.of(1, ";")),
                Arbitraries.frequency(Tuple.of(20, ""), Tuple.of(1, "&"), Tuple.of(1, "#fragment")))
                .as((prefix, pairs, separator, suffix) -> prefix + String.join(separator, pairs) + suffix);
        return Combinators.combine(methods, paths, query).as((method, path, q) -> new Request(method, path + q));
    }

    /** The key mostly as is, sometimes escaped (the same key once decoded) or misspelt. */
    private static Arbitrary<String> pair(String key, Arbitrary<String> values) {
        Arbitrary<String> keys = Arbitraries.frequency(Tuple.of(40, key), Tuple.of(1, "%" + HexFormat.of().toHexDigits((byte) key.charAt(0))
                + key.substring(1)), Tuple.of(1, key.toUpperCase()), Tuple.of(1, key + "%20"), Tuple.of(1, key + "[]"));
        return Combinators.combine(keys, values).as((k, v) -> k + "=" + v);
    }

    @Provide
    Arbitrary<String> validUsers() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(1, Arbitraries.of(0xe9, 0xdf, 0x3a9, 0x4e2d, 0x1f600, 0x10348, 0xa0, 0xfeff)));
        return codePoints.list().ofMinSize(1).ofMaxSize(30)
                .map(list -> list.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString())
                .filter(candidate -> !candidate.isBlank());
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
