package com.hourlyanalytics.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hourlyanalytics.local.lambda.FunctionContainer;
import com.hourlyanalytics.local.lambda.InvocationOutcome;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import com.hourlyanalytics.local.template.ServerlessFunction;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./invoke FunctionLogicalId event.json [--env-vars env.json] [--data DIR] [--api-key-id ID]}: {@code sam local invoke}
 * without Docker. Runs the function named in template.yaml once, from its CodeUri jar with its Handler, Timeout
 * and environment, under the real Lambda runtime interface client, and prints its response (or Lambda's error
 * payload) on stdout; the function's logs and the REPORT line go to stderr.
 */
public final class LocalInvoke {

    static final String USAGE = """
            usage: ./invoke FunctionLogicalId event.json [--env-vars env.json] [--data DIR] [--api-key-id ID] [--help]
              --env-vars     sam local invoke's file of variables
              --api-key-id   play that partner: the event's requestContext.identity.apiKeyId
              env: DYNAMODB_ENDPOINT uses that store instead of an own dynalite; TRANSACTION_WINDOW_MS sets the own
                   dynalite's transaction window (default 25, docs/local-store.md); docs/local-running.md""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalInvoke() {
    }

    record Arguments(String functionId, Path event, Optional<Path> envVars, Optional<Path> dataDir, Optional<String> apiKeyId) {
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(USAGE);
            return;
        }
        Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Path root = Path.of(System.getProperty("repo.root", ".")).toAbsolutePath().normalize();
        int status;
        try {
            status = run(arguments, root, System.getenv(), System.out, System.err);
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            // A wrong argument or a missing piece (no such function or file, store unreachable): one line says which.
            System.err.println("./invoke: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    /** @return the exit status: 0 for a response, 1 for a function error */
    static int run(Arguments arguments, Path root, Map<String, String> hostEnvironment, PrintStream out, PrintStream log)
            throws IOException {
        Map<String, ServerlessFunction> functions = ServerlessFunction.readAll(root.resolve("template.yaml"));
        ServerlessFunction function = functions.get(arguments.functionId());
        if (function == null) {
            throw new IllegalArgumentException("template.yaml has no function " + arguments.functionId() + "; it has " + functions.keySet());
        }
        byte[] event = asPartner(readEvent(arguments.event()), arguments.apiKeyId());
        Map<String, String> overrides = arguments.envVars().map(file -> envVars(file, function)).orElse(Map.of());
        if (overrides.containsKey(StoreSettings.DYNAMODB_ENDPOINT)) {
            log.println("note: --env-vars' DYNAMODB_ENDPOINT is for sam local invoke; ./invoke uses its own dynalite "
                    + "unless DYNAMODB_ENDPOINT is set in the environment");
        }
        Map<String, String> storeEnvironment = new HashMap<>();
        for (String name : List.of(StoreSettings.DYNAMODB_ENDPOINT, LocalStore.TRANSACTION_WINDOW_MS)) {
            Optional.ofNullable(hostEnvironment.get(name)).ifPresent(value -> storeEnvironment.put(name, value));
        }
        for (String name : List.of(StoreSettings.TABLE_NAME, StoreSettings.MARKER_RETENTION_DAYS)) {
            Optional.ofNullable(overrides.getOrDefault(name, hostEnvironment.get(name))).ifPresent(value -> storeEnvironment.put(name, value));
        }
        try (LocalStore store = LocalStore.open(root, arguments.dataDir(), storeEnvironment, List.of())) {
            log.println("store: " + store.describe(arguments.dataDir()));
            Map<String, String> variables = new LinkedHashMap<>(function.environment());
            variables.putAll(overrides);
            variables = store.functionVariables(variables);
            try (FunctionContainer container = FunctionContainer.start(function, variables, LambdaJavaRuntime.locate(root),
                    function.logicalId(), log)) {
                var outcome = container.invoke(event);
                out.println(new String(outcome.payload(), StandardCharsets.UTF_8));
                out.flush();
                return outcome instanceof InvocationOutcome.Response ? 0 : 1;
            }
        }
    }

    private static byte[] readEvent(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the event file " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The event with {@code requestContext.identity.apiKeyId} set, as one edits an event for sam local invoke. */
    static byte[] asPartner(byte[] event, Optional<String> apiKeyId) throws IOException {
        if (apiKeyId.isEmpty()) {
            return event;
        }
        if (!(JSON.readTree(event) instanceof ObjectNode root)) {
            throw new IllegalArgumentException("--api-key-id needs an event that is a JSON object");
        }
        ObjectNode identity = objectAt(objectAt(root, "requestContext"), "identity");
        identity.put("apiKeyId", apiKeyId.get());
        return JSON.writeValueAsBytes(root);
    }

    private static ObjectNode objectAt(ObjectNode parent, String field) {
        return parent.get(field) instanceof ObjectNode child ? child : parent.putObject(field);
    }

    /**
     * As {@code sam local invoke --env-vars}: "Parameters" applies to every function, then the function's own
     * object; only variables the function declares in template.yaml are set.
     */
    static Map<String, String> envVars(Path file, ServerlessFunction function) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --env-vars " + file + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode block : List.of(root.path("Parameters"), root.path(function.logicalId()))) {
            block.fields().forEachRemaining(entry -> {
                if (function.environment().containsKey(entry.getKey())) {
                    values.put(entry.getKey(), entry.getValue().asText());
                }
            });
        }
        return values;
    }

    static Arguments parse(String[] args) {
        List<String> positional = new ArrayList<>();
        Optional<Path> envVars = Optional.empty();
        Optional<Path> dataDir = Optional.empty();
        Optional<String> apiKeyId = Optional.empty();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--env-vars", "-n" -> envVars = Optional.of(Path.of(value(args, ++i, args[i - 1])));
                case "--data" -> dataDir = Optional.of(Path.of(value(args, ++i, "--data")));
                case "--api-key-id" -> apiKeyId = Optional.of(value(args, ++i, "--api-key-id"));
                case "--event", "-e" -> positional.add(value(args, ++i, args[i - 1]));
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    positional.add(args[i]);
                }
            }
        }
        if (positional.size() != 2) {
            throw new IllegalArgumentException("need a function's logical id and an event file");
        }
        return new Arguments(positional.get(0), Path.of(positional.get(1)), envVars, dataDir, apiKeyId);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
