package com.hourlyanalytics.it.runtime;

import com.hourlyanalytics.local.LocalStore;
import com.hourlyanalytics.local.lambda.FunctionContainer;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import com.hourlyanalytics.local.template.ServerlessFunction;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every function of template.yaml in one container each, as Lambda runs it (its CodeUri jar and Handler under the
 * real runtime client), with the template's environment plus a store of its own and the test's variables.
 */
final class TemplateFunctions implements AutoCloseable {

    final LocalStore store;
    final Map<String, FunctionContainer> containers = new LinkedHashMap<>();
    /** What the containers printed, for assertion messages. */
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    TemplateFunctions(Path root, String table, Map<String, String> variables) {
        store = LocalStore.open(root, Optional.empty(), Map.of(StoreSettings.TABLE_NAME, table), List.of());
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        LambdaJavaRuntime runtime = LambdaJavaRuntime.locate(root);
        ServerlessFunction.readAll(root.resolve("template.yaml")).forEach((id, function) -> {
            Map<String, String> environment = new LinkedHashMap<>(function.environment());
            environment.putAll(store.environment());
            environment.putAll(variables);
            containers.put(id, FunctionContainer.start(function, environment, runtime, id, out));
        });
    }

    FunctionContainer get(String functionId) {
        return containers.get(functionId);
    }

    @Override
    public void close() {
        containers.values().forEach(FunctionContainer::close);
        store.close();
    }
}
