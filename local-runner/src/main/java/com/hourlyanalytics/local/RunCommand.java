package com.hourlyanalytics.local;

import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.ApiKey;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.UsagePlan;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code ./run}'s command line: options in, a {@link LocalRunner} until Ctrl-C or SIGTERM. */
public final class RunCommand {

    static final String USAGE = """
            usage: ./run [--in-process | --lambda [--containers N]] [--port N] [--data DIR] [--transaction-window-ms N]
                         [--api-key ID=VALUE]... [--parameter-overrides "Name=Value ..."] [--integration-timeout SECONDS]
                         [--quiet] [--help]
              --transaction-window-ms  how long a transaction holds its items in the own dynalite: writes meeting
                                     them conflict as in DynamoDB (default 25; 0: none); docs/local-store.md
              --api-key ID=VALUE     require x-api-key, as API Gateway does (repeatable; none: the API is open)
              --parameter-overrides  template.yaml parameters, e.g. "ThrottleRateLimit=5 QuotaLimit=100 QuotaPeriod=DAY"
              --integration-timeout  API Gateway's answer-by bound (default 29), then 504
              --quiet                no line per request on stdout
              env: PORT, DYNAMODB_ENDPOINT (a store you run), TRANSACTION_WINDOW_MS (as --transaction-window-ms),
                   and the functions' variables (TABLE_NAME, COUNTER_SHARDS, ...)
              docs/local-running.md""";

    private RunCommand() {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        LocalRunner.Options options;
        try {
            options = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        LocalRunner runner;
        try {
            runner = new LocalRunner(options);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // A setting or a missing piece (store unreachable, emulator not installed): its message says which.
            System.err.println("./run: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "local-runner-shutdown"));
        System.out.println("store: " + runner.describeStore(options.dataDir()));
        System.out.println("handlers: " + (options.mode() == LocalRunner.Mode.IN_PROCESS ? "in this JVM (--in-process)"
                : "Lambda containers, real runtime client, up to " + options.maxContainers() + " per function (--lambda)"));
        System.out.println("gateway: " + runner.describeGateway());
        System.out.println("ready: " + runner.baseUri() + ProxyRequests.ANALYTICS + "  (Ctrl-C stops)");
        stopped.await();
    }

    static LocalRunner.Options parse(String[] args, Map<String, String> environment) {
        int port = Integer.parseInt(environment.getOrDefault("PORT", "3000"));
        Map<String, String> variables = new LinkedHashMap<>(environment);
        Optional<Path> data = Optional.empty();
        LocalRunner.Mode mode = LocalRunner.Mode.IN_PROCESS;
        int containers = LocalRunner.Options.DEFAULT_MAX_CONTAINERS;
        List<ApiKey> keys = new ArrayList<>();
        Map<String, String> overrides = new LinkedHashMap<>();
        Duration timeout = Gateway.INTEGRATION_TIMEOUT;
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data" -> data = Optional.of(Path.of(value(args, ++i, "--data")));
                case "--lambda" -> mode = LocalRunner.Mode.LAMBDA;
                case "--in-process" -> mode = LocalRunner.Mode.IN_PROCESS;
                case "--containers" -> containers = Integer.parseInt(value(args, ++i, "--containers"));
                case "--api-key" -> keys.add(ApiKey.parse(value(args, ++i, "--api-key")));
                case "--parameter-overrides" -> overrides.putAll(UsagePlan.parseOverrides(value(args, ++i, "--parameter-overrides")));
                case "--integration-timeout" -> timeout = Duration.ofMillis(
                        Math.round(Double.parseDouble(value(args, ++i, "--integration-timeout")) * 1000));
                case "--transaction-window-ms" -> variables.put(LocalStore.TRANSACTION_WINDOW_MS, value(args, ++i, "--transaction-window-ms"));
                case "--quiet" -> quiet = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (containers < 1) {
            throw new IllegalArgumentException("--containers must be at least 1");
        }
        LocalStore.transactionWindow(variables); // a bad window fails here, with the usage
        if (List.of(args).contains("--transaction-window-ms") && !environment.getOrDefault(StoreSettings.DYNAMODB_ENDPOINT, "").isBlank()) {
            throw new IllegalArgumentException("--transaction-window-ms sets the runner's own dynalite; the store at "
                    + "DYNAMODB_ENDPOINT has its own (node emulator/dynalite-server.js --transaction-window-ms N)");
        }
        Path repoRoot = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        return new LocalRunner.Options(port, data, repoRoot, variables, LocalApiServer.Limits.DEFAULT, List.of(), mode, containers)
                .withGateway(new Gateway.Options(keys, overrides, timeout), quiet);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
