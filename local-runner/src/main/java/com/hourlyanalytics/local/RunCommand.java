package com.hourlyanalytics.local;

import com.hourlyanalytics.http.ProxyRequests;
import java.nio.file.Path;
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
            options = parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: ./run [--port N] [--data DIR] [--lambda [--containers N] | --in-process]"
                    + "   (env: PORT, DYNAMODB_ENDPOINT, TABLE_NAME, COUNTER_SHARDS, MARKER_RETENTION_DAYS, MARKER_CACHE_ENTRIES)");
            System.exit(2);
            return;
        }
        LocalRunner runner = new LocalRunner(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stopped.countDown();
        }, "local-runner-shutdown"));
        System.out.println("store: " + runner.describeStore(options.dataDir()));
        System.out.println("handlers: " + (options.mode() == LocalRunner.Mode.IN_PROCESS ? "in this JVM (--in-process)"
                : "Lambda containers, real runtime client, up to " + options.maxContainers() + " per function (--lambda)"));
        System.out.println("ready: " + runner.baseUri() + ProxyRequests.ANALYTICS + "  (Ctrl-C stops)");
        stopped.await();
    }

    static LocalRunner.Options parse(String[] args, Map<String, String> environment) {
        int port = Integer.parseInt(environment.getOrDefault("PORT", "3000"));
        Optional<Path> data = Optional.empty();
        LocalRunner.Mode mode = LocalRunner.Mode.IN_PROCESS;
        int containers = LocalRunner.Options.DEFAULT_MAX_CONTAINERS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data" -> data = Optional.of(Path.of(value(args, ++i, "--data")));
                case "--lambda" -> mode = LocalRunner.Mode.LAMBDA;
                case "--in-process" -> mode = LocalRunner.Mode.IN_PROCESS;
                case "--containers" -> containers = Integer.parseInt(value(args, ++i, "--containers"));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (containers < 1) {
            throw new IllegalArgumentException("--containers must be at least 1");
        }
        Path repoRoot = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        return new LocalRunner.Options(port, data, repoRoot, environment, LocalApiServer.Limits.DEFAULT, List.of(), mode, containers);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
