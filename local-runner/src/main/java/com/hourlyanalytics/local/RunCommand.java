package com.hourlyanalytics.local;

import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.gateway.ApiKey;
import com.hourlyanalytics.local.gateway.Gateway;
import com.hourlyanalytics.local.gateway.UsagePlan;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code ./run}'s command line: options in, a {@link LocalRunner} until Ctrl-C or SIGTERM. */
public final class RunCommand {

    private RunCommand() {
    }

    public static void main(String[] args) throws Exception {
        LocalRunner.Options options;
        try {
            Optional<LocalRunner.Options> parsed = parse(args, System.getenv());
            if (parsed.isEmpty()) {
                System.out.println(RunArguments.USAGE);
                return;
            }
            options = parsed.get();
        } catch (IllegalArgumentException e) {
            System.err.println("./run: " + e.getMessage() + RunArguments.HINT);
            System.exit(2);
            return;
        }
        LocalRunner runner;
        try {
            runner = new LocalRunner(options);
        } catch (BindException e) {
            System.err.println("./run: cannot listen on 127.0.0.1:" + options.port() + " (" + e.getMessage()
                    + "); choose another port with --port N or PORT=N");
            System.exit(1);
            return;
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // A setting or a missing piece (store unreachable, emulator not installed): its message says which.
            System.err.println("./run: " + e.getMessage());
            System.exit(1);
            return;
        }
        EmulatorRestarts restarts = runner.restartStoreWhenItDies(options.dataDir(), System.err, System::exit);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            restarts.stop();
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

    /** The runner's options, or empty for {@code --help}; a bad option throws IllegalArgumentException naming it. */
    static Optional<LocalRunner.Options> parse(String[] args, Map<String, String> environment) {
        Optional<RunArguments> parsed = RunArguments.parse(args, environment);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        RunArguments arguments = parsed.get();
        Map<String, String> variables = new LinkedHashMap<>(environment);
        arguments.transactionWindowMs().ifPresent(ms -> variables.put(LocalStore.TRANSACTION_WINDOW_MS, Long.toString(ms)));
        LocalStore.transactionWindow(variables); // a bad TRANSACTION_WINDOW_MS fails here, before anything starts
        if (arguments.transactionWindowMs().isPresent() && !environment.getOrDefault(StoreSettings.DYNAMODB_ENDPOINT, "").isBlank()) {
            throw new IllegalArgumentException("--transaction-window-ms sets the runner's own dynalite; the store at "
                    + "DYNAMODB_ENDPOINT has its own (node emulator/dynalite-server.js --transaction-window-ms N)");
        }
        List<ApiKey> keys = arguments.apiKeys().stream().map(ApiKey::parse).toList();
        Map<String, String> overrides = new LinkedHashMap<>();
        arguments.parameterOverrides().forEach(text -> overrides.putAll(UsagePlan.parseOverrides(text)));
        Path repoRoot = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        LocalRunner.Mode mode = arguments.lambda() ? LocalRunner.Mode.LAMBDA : LocalRunner.Mode.IN_PROCESS;
        return Optional.of(new LocalRunner.Options(arguments.port(), arguments.dataDir(), repoRoot, variables, LocalApiServer.Limits.DEFAULT,
                List.of(), mode, arguments.containers())
                .withGateway(new Gateway.Options(keys, overrides, arguments.integrationTimeout().orElse(Gateway.INTEGRATION_TIMEOUT)),
                        arguments.quiet()));
    }
}
