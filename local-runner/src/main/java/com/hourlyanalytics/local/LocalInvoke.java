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

    /** The shipped --env-vars file for ./invoke: it sets only variables the functions declare and ./invoke takes. */
    static final String ENV_VARS_EXAMPLE = "local-runner/invoke-env.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalInvoke() {
    }

    public static void main(String[] args) throws Exception {
        InvokeArguments arguments;
        try {
            Optional<InvokeArguments> parsed = InvokeArguments.parse(args);
            if (parsed.isEmpty()) {
                System.out.println(InvokeArguments.USAGE);
                return;
            }
            arguments = parsed.get();
        } catch (IllegalArgumentException e) {
            System.err.println("./invoke: " + e.getMessage() + InvokeArguments.HINT);
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
    static int run(InvokeArguments arguments, Path root, Map<String, String> hostEnvironment, PrintStream out, PrintStream log)
            throws IOException {
        Map<String, ServerlessFunction> functions = ServerlessFunction.readAll(root.resolve("template.yaml"));
        ServerlessFunction function = functions.get(arguments.functionId());
        if (function == null) {
            throw new IllegalArgumentException("template.yaml has no function " + arguments.functionId() + "; it has " + functions.keySet());
        }
        byte[] event = asPartner(readEvent(arguments.event()), arguments.apiKeyId());
        Map<String, String> overrides = arguments.envVars().map(file -> envVars(file, function)).orElse(Map.of());
        storeNote(arguments.envVars(), overrides, hostEnvironment).ifPresent(log::println);
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

    /**
     * The line saying that an --env-vars file's DYNAMODB_ENDPOINT is not taken, if it sets one: sam's file
     * (events/local-env.json) points sam's Docker container at a dynalite you run; ./invoke starts its own, or uses the
     * environment's. {@value #ENV_VARS_EXAMPLE} sets only what ./invoke takes.
     */
    static Optional<String> storeNote(Optional<Path> file, Map<String, String> overrides, Map<String, String> hostEnvironment) {
        if (file.isEmpty() || !overrides.containsKey(StoreSettings.DYNAMODB_ENDPOINT)) {
            return Optional.empty();
        }
        String used = hostEnvironment.getOrDefault(StoreSettings.DYNAMODB_ENDPOINT, "").isBlank() ? "its own dynalite"
                : "DYNAMODB_ENDPOINT from the environment";
        return Optional.of("note: " + file.get() + " sets DYNAMODB_ENDPOINT for sam local invoke's container; ./invoke uses " + used
                + " (an --env-vars file for ./invoke alone: " + ENV_VARS_EXAMPLE + ")");
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
}
