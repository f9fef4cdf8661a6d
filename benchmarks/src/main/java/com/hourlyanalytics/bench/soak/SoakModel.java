package com.hourlyanalytics.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/** The soak's requests and its model of them: per hour what was acknowledged and what is unsure; then the check. */
final class SoakModel {

    private static final Duration CLIENT_TIMEOUT = SoakBenchmark.CLIENT_TIMEOUT;

    /** What was acknowledged for one hour, and what is unsure (a POST answered anything but 204). */
    private static final class HourModel {
        final LongAdder clicks = new LongAdder();
        final LongAdder impressions = new LongAdder();
        final Set<String> users = ConcurrentHashMap.newKeySet();
        final LongAdder unsureClicks = new LongAdder();
        final LongAdder unsureImpressions = new LongAdder();
        final Set<String> unsureUsers = ConcurrentHashMap.newKeySet();
    }

    private final Map<Long, HourModel> model = new ConcurrentHashMap<>();
    private final LongAdder failedGets = new LongAdder();

    /** One request: 20% GETs, else a POST of a random user, 95% on the hot hour; the model keeps its outcome. */
    void request(HttpClient http, URI base, long hotHour, int hours, int users) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long hourStart = random.nextInt(100) < 95 ? hotHour : hotHour - (1 + random.nextInt(hours - 1)) * 3_600_000L;
        long timestamp = hourStart + random.nextLong(Math.min(3_600_000L, System.currentTimeMillis() - hourStart + 1));
        if (random.nextInt(100) < 20) {
            int status = send(http, "GET", base + "/analytics?timestamp=" + timestamp);
            if (status != 200) {
                failedGets.increment();
            }
            return;
        }
        String user = "user-" + random.nextInt(users);
        boolean click = random.nextBoolean();
        HourModel hour = model.computeIfAbsent(hourStart, h -> new HourModel());
        int status = send(http, "POST", base + "/analytics?timestamp=" + timestamp + "&user=" + user
                + "&event=" + (click ? "click" : "impression"));
        if (status == 204) {
            (click ? hour.clicks : hour.impressions).increment();
            hour.users.add(user);
        } else {
            (click ? hour.unsureClicks : hour.unsureImpressions).increment();
            hour.unsureUsers.add(user);
        }
    }

    private static int send(HttpClient http, String method, String uri) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(uri)).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Counts of every hour the load touched, against the model: exact where every POST was acknowledged, else bounded. */
    int check(HttpClient http, URI base) throws IOException, InterruptedException {
        int mismatches = 0;
        for (var entry : model.entrySet()) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/analytics?timestamp=" + entry.getKey())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String[] lines = body.split("\n");
            long users = Long.parseLong(lines[0].substring("unique_users,".length()));
            long clicks = Long.parseLong(lines[1].substring("clicks,".length()));
            long impressions = Long.parseLong(lines[2].substring("impressions,".length()));
            HourModel hour = entry.getValue();
            Set<String> onlyAcknowledged = new HashSet<>(hour.users);
            onlyAcknowledged.removeAll(hour.unsureUsers);
            Set<String> attempted = new HashSet<>(hour.users);
            attempted.addAll(hour.unsureUsers);
            boolean ok = within(clicks, hour.clicks.sum(), hour.unsureClicks.sum())
                    && within(impressions, hour.impressions.sum(), hour.unsureImpressions.sum())
                    && users >= onlyAcknowledged.size() && users <= attempted.size();
            if (!ok) {
                mismatches++;
                System.out.printf("MISMATCH hour %d: got %d users, %d clicks, %d impressions; acknowledged %d users, %d clicks,"
                                + " %d impressions (unsure: %d users, %d clicks, %d impressions)%n", entry.getKey(), users, clicks,
                        impressions, hour.users.size(), hour.clicks.sum(), hour.impressions.sum(), hour.unsureUsers.size(),
                        hour.unsureClicks.sum(), hour.unsureImpressions.sum());
            }
        }
        return mismatches;
    }

    private static boolean within(long counted, long acknowledged, long unsure) {
        return counted >= acknowledged && counted <= acknowledged + unsure;
    }

    int hours() {
        return model.size();
    }

    long userHours() {
        return model.values().stream().mapToLong(h -> h.users.size()).sum();
    }

    /** POSTs answered anything but 204. */
    long unsure() {
        return model.values().stream().mapToLong(h -> h.unsureClicks.sum() + h.unsureImpressions.sum()).sum();
    }

    long failedGets() {
        return failedGets.sum();
    }
}
