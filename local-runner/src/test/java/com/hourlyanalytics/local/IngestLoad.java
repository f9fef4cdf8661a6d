package com.hourlyanalytics.local;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A partner's retrying POST load on the API: every client takes fresh hours and plays the same short script
 * in each, retrying a request until it gets a 204. Every attempt's answer is kept, and the final counts of
 * each hour are then checked against the bounds those answers allow (docs/reliability.md, "What a 503 means"):
 * <ul>
 *   <li>events of a type: at least the 204s, at most the 204s plus the unsure attempts (503 or no answer);</li>
 *   <li>unique users: at least the users whose every attempt got a 204, at most the users attempted at all.</li>
 * </ul>
 */
final class IngestLoad {

    /** The attempt got no HTTP answer (connection refused or reset, or the runner died). */
    static final int NO_ANSWER = -1;
    private static final String[][] SCRIPT = {
        {"a", "click"}, {"b", "impression"}, {"a", "impression"}, {"c", "click"}, {"b", "click"}, {"a", "click"}};
    private static final int ATTEMPTS_PER_REQUEST = 5;
    private static final long RETRY_PAUSE_MILLIS = 50;

    record Attempt(long hourStart, String user, String event, int status, String body, long startNanos, long nanos) {
        boolean acknowledged() {
            return status == 204;
        }

        /** Turned away by the runner's admission control, before any handler ran. */
        boolean shed() {
            return status == 503 && body.startsWith("server busy");
        }
    }

    private final HttpApi api;
    private final AtomicLong nextHour;
    private final List<Thread> clients = new ArrayList<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    private IngestLoad(URI base, long firstHourIndex) {
        this.api = new HttpApi(base);
        this.nextHour = new AtomicLong(firstHourIndex);
    }

    /** Starts {@code clients} threads posting to hours from {@code firstHourIndex} on (all in the past). */
    static IngestLoad start(URI base, int clients, long firstHourIndex) {
        IngestLoad load = new IngestLoad(base, firstHourIndex);
        for (int c = 0; c < clients; c++) {
            Thread client = new Thread(load::run, "ingest-load-" + c);
            load.clients.add(client);
            client.start();
        }
        return load;
    }

    /** Stops the clients after their current attempt and returns every attempt made. */
    List<Attempt> stop() throws InterruptedException {
        stopping = true;
        for (Thread client : clients) {
            client.join();
        }
        return List.copyOf(attempts);
    }

    private void run() {
        while (!stopping) {
            long hourStart = nextHour.getAndIncrement() * 3_600_000L;
            for (String[] step : SCRIPT) {
                String user = "user-" + step[0];
                for (int attempt = 0; attempt < ATTEMPTS_PER_REQUEST && !stopping; attempt++) {
                    if (post(hourStart, user, step[1]).acknowledged()) {
                        break;
                    }
                    pause();
                }
            }
        }
    }

    private Attempt post(long hourStart, String user, String event) {
        long start = System.nanoTime();
        int status;
        String body;
        try {
            HttpResponse<String> response = api.post(hourStart + 1, user, event);
            status = response.statusCode();
            body = response.body();
        } catch (UncheckedIOException e) {
            status = NO_ANSWER;
            body = "";
        }
        Attempt attempt = new Attempt(hourStart, user, event, status, body, start, System.nanoTime() - start);
        attempts.add(attempt);
        return attempt;
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the final counts showed against what the attempts allow. */
    record Verdict(List<String> violations, int hours, int eventsOverAcknowledged, int usersUnderAcknowledged) {
    }

    /** Reads every hour the attempts touched and checks its counts lie within the bounds the answers give. */
    static Verdict verify(HttpApi api, Collection<Attempt> attempts) {
        Map<Long, List<Attempt>> byHour = new LinkedHashMap<>();
        attempts.forEach(a -> byHour.computeIfAbsent(a.hourStart(), h -> new ArrayList<>()).add(a));
        List<String> violations = new ArrayList<>();
        int eventsOver = 0;
        int usersUnder = 0;
        for (var entry : byHour.entrySet()) {
            long hourStart = entry.getKey();
            List<Attempt> tried = entry.getValue();
            String[] counts = api.counts(hourStart).split(",");
            long users = Long.parseLong(counts[0]);
            long clicks = Long.parseLong(counts[1]);
            long impressions = Long.parseLong(counts[2]);
            check(violations, hourStart, "clicks", clicks, tried, "click");
            check(violations, hourStart, "impressions", impressions, tried, "impression");
            Set<String> acknowledged = users(tried, true);
            Set<String> unsure = users(tried, false);
            Set<String> onlyAcknowledged = new HashSet<>(acknowledged);
            onlyAcknowledged.removeAll(unsure);
            Set<String> attempted = new HashSet<>(acknowledged);
            attempted.addAll(unsure);
            if (users < onlyAcknowledged.size() || users > attempted.size()) {
                violations.add("hour %d: unique_users %d outside [%d, %d]".formatted(
                        hourStart, users, onlyAcknowledged.size(), attempted.size()));
            }
            eventsOver += clicks + impressions > acknowledgedEvents(tried) ? 1 : 0;
            usersUnder += users < acknowledged.size() ? 1 : 0;
        }
        return new Verdict(violations, byHour.size(), eventsOver, usersUnder);
    }

    private static void check(List<String> violations, long hourStart, String name, long counted,
                              List<Attempt> tried, String event) {
        long acknowledged = tried.stream().filter(a -> a.event().equals(event) && a.acknowledged()).count();
        long unsure = tried.stream().filter(a -> a.event().equals(event) && !a.acknowledged()).count();
        if (counted < acknowledged || counted > acknowledged + unsure) {
            violations.add("hour %d: %s %d outside [%d, %d]".formatted(hourStart, name, counted, acknowledged, acknowledged + unsure));
        }
    }

    private static long acknowledgedEvents(List<Attempt> tried) {
        return tried.stream().filter(Attempt::acknowledged).count();
    }

    private static Set<String> users(List<Attempt> tried, boolean acknowledged) {
        Set<String> users = new HashSet<>();
        tried.stream().filter(a -> a.acknowledged() == acknowledged).forEach(a -> users.add(a.user()));
        return users;
    }

    /** "n=…, p50=… ms, max=… ms" of the attempts' latencies, for the test log and docs. */
    static String latencies(Collection<Attempt> attempts) {
        long[] millis = attempts.stream().mapToLong(a -> Duration.ofNanos(a.nanos()).toMillis()).sorted().toArray();
        if (millis.length == 0) {
            return "n=0";
        }
        return "n=%d, p50=%d ms, p99=%d ms, max=%d ms".formatted(millis.length, millis[millis.length / 2],
                millis[(int) Math.min(millis.length - 1, Math.round(millis.length * 0.99))], millis[millis.length - 1]);
    }
}
