package com.hourlyanalytics.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./invoke}'s command line, read with the JDK alone: before it installs or builds anything, {@code ./invoke}
 * runs this file from its source (scripts/lib.sh), so that {@code --help} and a bad option answer at once even on a
 * fresh clone; {@link LocalInvoke} reads it the same way after the build.
 */
record InvokeArguments(String functionId, Path event, Optional<Path> envVars, Optional<Path> dataDir, Optional<String> apiKeyId) {

    static final String USAGE = """
            usage: ./invoke FunctionLogicalId event.json [--env-vars env.json] [--data DIR] [--api-key-id ID] [--help]
              --env-vars     sam local invoke's file of variables; the store's (DYNAMODB_ENDPOINT) is not taken from it
              --data DIR     keep the own dynalite's data in DIR (default: in memory, fresh each call)
              --api-key-id   play that partner: the event's requestContext.identity.apiKeyId
              env: DYNAMODB_ENDPOINT uses that store instead of an own dynalite; TRANSACTION_WINDOW_MS sets the own
                   dynalite's transaction window (default 25, docs/local-store.md); docs/local-running.md""";
    /** What follows each usage error: the options are one command away, not printed in full. */
    static final String HINT = " (./invoke --help lists the options)";

    /**
     * The check before the build: prints the usage for {@code --help} (status 0), one line for a bad command line
     * (status 2), nothing when it is fine (status 0).
     */
    public static void main(String[] args) {
        try {
            if (parse(args).isEmpty()) {
                System.out.println(USAGE);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("./invoke: " + e.getMessage() + HINT);
            System.exit(2);
        }
    }

    /** The arguments, or empty for {@code --help}; a bad command line throws IllegalArgumentException saying what is wrong. */
    static Optional<InvokeArguments> parse(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            return Optional.empty();
        }
        List<String> positional = new ArrayList<>();
        Optional<Path> envVars = Optional.empty();
        Optional<Path> dataDir = Optional.empty();
        Optional<String> apiKeyId = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--env-vars", "-n" -> envVars = Optional.of(Path.of(value(args, ++i)));
                case "--data" -> dataDir = Optional.of(Path.of(value(args, ++i)));
                case "--api-key-id" -> apiKeyId = Optional.of(value(args, ++i));
                case "--event", "-e" -> positional.add(value(args, ++i));
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("need a function's logical id and an event file, not " + positional);
        }
        return Optional.of(new InvokeArguments(positional.get(0), Path.of(positional.get(1)), envVars, dataDir, apiKeyId));
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }
}
