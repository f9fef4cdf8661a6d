package com.hourlyanalytics.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmarks' one option parser: {@code --name value} pairs, every option declared with its default (""
 * where it has none); an option whose default is a number takes a number. {@code --help} prints the usage;
 * an unknown or malformed option ends the run with one line.
 */
public final class BenchArgs {

    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    /** The options of {@code args} over {@code defaults}; throws with a one-line message on a bad one. */
    public static BenchArgs parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || !defaults.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            String name = args[i].substring(2);
            checkKind(name, defaults.get(name), args[i + 1]);
            values.put(name, args[i + 1]);
        }
        return new BenchArgs(values);
    }

    /** {@link #parse}, or the usage on {@code --help} (exit 0), or one line naming the bad option (exit 2). */
    public static BenchArgs parseOrExit(String[] args, String usage, Map<String, String> defaults) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println(usage);
                System.exit(0);
            }
        }
        try {
            return parse(args, defaults);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " (--help lists the options)");
            System.exit(2);
            throw e;
        }
    }

    private static void checkKind(String name, String fallback, String value) {
        if (isNumber(fallback) && !isNumber(value)) {
            throw new IllegalArgumentException("option --" + name + " takes a number, got '" + value + "'");
        }
        if (isWhole(fallback) && !isWhole(value)) {
            throw new IllegalArgumentException("option --" + name + " takes a whole number, got '" + value + "'");
        }
    }

    private static boolean isNumber(String text) {
        return text.matches("-?[0-9]+(\\.[0-9]*)?");
    }

    private static boolean isWhole(String text) {
        return text.matches("-?[0-9]+");
    }

    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("option --" + name + " is not declared");
        }
        return value;
    }

    /** The value, or empty where the option has no default and was not given. */
    public Optional<String> optional(String name) {
        return Optional.of(get(name)).filter(value -> !value.isEmpty());
    }

    public int integer(String name) {
        return Integer.parseInt(get(name));
    }

    public long longValue(String name) {
        return Long.parseLong(get(name));
    }

    public double decimal(String name) {
        return Double.parseDouble(get(name));
    }

    /** Where node_modules/dynalite and emulator/ are; the scripts pass -Drepo.root. */
    public static Path repoRoot() {
        return Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
    }
}
