package com.hourlyanalytics.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./run}'s command line, read with the JDK alone: before it installs or builds anything, {@code ./run} runs
 * this file from its source ({@code java RunArguments.java ARGS}, scripts/lib.sh), so that {@code --help} and a bad
 * option answer at once even on a fresh clone. What needs the project (API keys, template parameters) is checked by
 * {@link RunCommand} after the build.
 *
 * @param transactionWindowMs the own dynalite's window from {@code --transaction-window-ms}, if given
 * @param integrationTimeout  from {@code --integration-timeout}, if given
 */
record RunArguments(int port, Optional<Path> dataDir, boolean lambda, int containers, List<String> apiKeys,
                    List<String> parameterOverrides, Optional<Duration> integrationTimeout,
                    Optional<Long> transactionWindowMs, boolean quiet) {

    static final String USAGE = """
            usage: ./run [--in-process | --lambda [--containers N]] [--port N] [--data DIR] [--transaction-window-ms N]
                         [--api-key ID=VALUE]... [--parameter-overrides "Name=Value ..."] [--integration-timeout SECONDS]
                         [--quiet] [--help]
              --port N               the port on 127.0.0.1 (default 3000, or PORT; 0: any free one)
              --containers N         containers per function with --lambda (default 4)
              --transaction-window-ms  how long a transaction holds its items in the own dynalite: writes meeting
                                     them conflict as in DynamoDB (default 25; 0: none); docs/local-store.md
              --api-key ID=VALUE     require x-api-key, as API Gateway does (repeatable; none: the API is open)
              --parameter-overrides  template.yaml parameters, e.g. "ThrottleRateLimit=5 QuotaLimit=100 QuotaPeriod=DAY"
              --integration-timeout  API Gateway's answer-by bound in seconds (default 29), then 504
              --quiet                no line per request on stdout
              env: PORT, DYNAMODB_ENDPOINT (a store you run), TRANSACTION_WINDOW_MS (as --transaction-window-ms),
                   and the functions' variables (TABLE_NAME, COUNTER_SHARDS, ...)
              docs/local-running.md""";
    static final int DEFAULT_PORT = 3000;
    static final int DEFAULT_CONTAINERS = 4;
    /** The longest transaction window the own dynalite takes, from the option or {@code TRANSACTION_WINDOW_MS}. */
    static final long MAX_TRANSACTION_WINDOW_MS = 999_999;
    /** What follows each usage error: the options are one command away, not printed in full. */
    static final String HINT = " (./run --help lists the options)";

    /**
     * The check before the build: prints the usage for {@code --help} (status 0), one line for a bad option (status 2),
     * nothing when the command line is fine (status 0).
     */
    public static void main(String[] args) {
        try {
            if (parse(args, System.getenv()).isEmpty()) {
                System.out.println(USAGE);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("./run: " + e.getMessage() + HINT);
            System.exit(2);
        }
    }

    /** The arguments, or empty for {@code --help}; a bad one throws IllegalArgumentException naming it and what it expects. */
    static Optional<RunArguments> parse(String[] args, Map<String, String> environment) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            return Optional.empty();
        }
        String portVariable = environment.get("PORT");
        int port = portVariable == null || portVariable.isBlank() ? DEFAULT_PORT : port("PORT", portVariable);
        Optional<Path> data = Optional.empty();
        boolean lambda = false;
        int containers = DEFAULT_CONTAINERS;
        List<String> keys = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        Optional<Duration> timeout = Optional.empty();
        Optional<Long> window = Optional.empty();
        boolean quiet = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--port" -> port = port(option, value(args, ++i));
                case "--data" -> data = Optional.of(Path.of(value(args, ++i)));
                case "--lambda" -> lambda = true;
                case "--in-process" -> lambda = false;
                case "--containers" -> containers = (int) whole(option, value(args, ++i), 1, 1000, "a whole number of containers from 1 to 1000");
                case "--api-key" -> keys.add(value(args, ++i));
                case "--parameter-overrides" -> overrides.add(value(args, ++i));
                case "--integration-timeout" -> timeout = Optional.of(seconds(option, value(args, ++i)));
                case "--transaction-window-ms" -> window = Optional.of(transactionWindowMs(option, value(args, ++i)));
                case "--quiet" -> quiet = true;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return Optional.of(new RunArguments(port, data, lambda, containers, keys, overrides, timeout, window, quiet));
    }

    /** Whole milliseconds from 0 to {@value #MAX_TRANSACTION_WINDOW_MS}, from the option or the variable {@code name}. */
    static long transactionWindowMs(String name, String text) {
        return whole(name, text, 0, MAX_TRANSACTION_WINDOW_MS, "whole milliseconds from 0 to " + MAX_TRANSACTION_WINDOW_MS);
    }

    private static int port(String name, String text) {
        return (int) whole(name, text, 0, 65_535, "a TCP port from 0 to 65535 (0: any free one)");
    }

    private static long whole(String name, String text, long min, long max, String expected) {
        try {
            long value = Long.parseLong(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below, with what was expected
        }
        throw new IllegalArgumentException(name + " expects " + expected + ", not " + text);
    }

    private static Duration seconds(String name, String text) {
        double seconds;
        try {
            seconds = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        // Finite and at least a millisecond: API Gateway's bound is whole milliseconds (29000 by default).
        if (!(seconds >= 0.001 && seconds <= 86_400)) {
            throw new IllegalArgumentException(name + " expects seconds from 0.001 to 86400 (e.g. 29 or 0.5), not " + text);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
