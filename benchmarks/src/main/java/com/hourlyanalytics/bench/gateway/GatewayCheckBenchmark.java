package com.hourlyanalytics.bench.gateway;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.ApiKey;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import com.hourlyanalytics.local.gateway.Throttle;
import com.hourlyanalytics.local.gateway.UsagePlan;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the local gateway's per-request checks cost (API key lookup, the key's token bucket, its batch method's, the
 * method's stage bucket, the quota) on the batch route, with {@code --keys} keys, on one thread: a timed loop, median of
 * the rounds.
 */
public final class GatewayCheckBenchmark {

    private static final String USAGE = "usage: bench/gateway.sh [--keys N] [--checks N] [--rounds N]";

    private GatewayCheckBenchmark() {
    }

    public static void main(String[] args) {
        BenchArgs options = BenchArgs.parseOrExit(args, USAGE, Map.of("keys", "100", "checks", "2000000", "rounds", "7"));
        int keys = options.integer("keys");
        List<ApiKey> apiKeys = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            apiKeys.add(new ApiKey("partner-" + i, "value-" + i + "-0123456789abcdefghijklmnopqrstuvwxyz"));
        }
        // No throttle or quota refusals during the loop: every check takes the whole path.
        Path template = BenchArgs.repoRoot().resolve("template.yaml");
        UsagePlan deployed = UsagePlan.fromTemplate(template, Map.of());
        Throttle unlimited = new Throttle(1e12, Integer.MAX_VALUE);
        Map<String, Throttle> everyMethod = new HashMap<>();
        deployed.keyMethods().keySet().forEach(method -> everyMethod.put(method, unlimited));
        UsagePlan plan = new UsagePlan(unlimited, everyMethod, Long.MAX_VALUE, deployed.quotaPeriod(), unlimited, everyMethod,
                deployed.methods());
        Gateway gateway = Gateway.of(new Gateway.Options(apiKeys, Map.of(), Gateway.INTEGRATION_TIMEOUT), plan,
                GatewayResponses.fromTemplate(template), Clock.systemUTC());
        String[] headers = apiKeys.stream().map(ApiKey::value).toArray(String[]::new);
        int checks = options.integer("checks");
        List<Double> micros = new ArrayList<>();
        long passed = 0;
        for (int round = 0; round < options.integer("rounds"); round++) {
            long start = System.nanoTime();
            for (int i = 0; i < checks; i++) {
                // The batch route: the key's bucket, its method bucket and the method's stage bucket, the longest path.
                passed += gateway.check(headers[i % headers.length], ProxyRequests.ANALYTICS_BATCH, "POST") instanceof Gateway.Pass ? 1 : 0;
            }
            micros.add((System.nanoTime() - start) / 1e3 / checks);
        }
        micros.sort(null);
        System.out.printf(Locale.ROOT, "%d keys, %d checks per round, %d rounds, %d passed: median %.3f us per check (min %.3f, max %.3f)%n",
                keys, checks, micros.size(), passed, micros.get(micros.size() / 2), micros.get(0), micros.get(micros.size() - 1));
    }
}
