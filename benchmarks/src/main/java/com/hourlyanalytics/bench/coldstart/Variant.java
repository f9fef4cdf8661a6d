package com.hourlyanalytics.bench.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hourlyanalytics.local.LocalStore;
import com.hourlyanalytics.local.template.ServerlessFunction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One kind of container the cold-start benchmark starts: a function (or a do-nothing handler), its variables as
 * {@code ./invoke} gives them, the event of each round and the status it must answer.
 *
 * @param event the event of the given round (ingest gets a new user each round: every run counts a new user)
 */
record Variant(String label, ServerlessFunction function, Map<String, String> variables, IntFunction<byte[]> event,
               int expectedStatus) {

    static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    static final ObjectMapper JSON = new ObjectMapper();

    /** The function's variables as ./invoke gives them: template.yaml's, this store's table, endpoint and local key. */
    static Map<String, String> variables(ServerlessFunction function, LocalStore store, String javaToolOptions) {
        Map<String, String> variables = store.functionVariables(function.environment());
        if (!javaToolOptions.isBlank()) {
            variables.put(JAVA_TOOL_OPTIONS, javaToolOptions);
        }
        return variables;
    }

    /** A do-nothing handler from its own jar, with the settings and variables of {@code like}. */
    static Variant baseline(String label, Variant like, Path jar, Class<?> handler, byte[] event) {
        ServerlessFunction function = like.function();
        return new Variant(label, new ServerlessFunction(handler.getSimpleName(), jar, handler.getName() + "::handleRequest",
                function.timeoutSeconds(), function.memoryMb(), function.environment()), like.variables(), round -> event, 200);
    }

    /** {@code like} from another build of its jar, to A/B a change. */
    static Variant otherJar(Variant like, Path jar) {
        ServerlessFunction function = like.function();
        return new Variant(function.logicalId() + " @ " + jar.getFileName(), new ServerlessFunction(function.logicalId(), jar,
                function.handler(), function.timeoutSeconds(), function.memoryMb(), function.environment()),
                like.variables(), like.event(), like.expectedStatus());
    }

    /** The same variant with a JVM flag added to JAVA_TOOL_OPTIONS (which Lambda's JVM reads, as any JVM). */
    Variant withJvmFlag(String suffix, String flag) {
        Map<String, String> changed = new LinkedHashMap<>(variables);
        changed.merge(JAVA_TOOL_OPTIONS, flag, (options, added) -> options + " " + added);
        return new Variant(label + suffix, function, changed, event, expectedStatus);
    }

    /** A POST event with another user. */
    static byte[] withUser(byte[] event, String user) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(event);
            ((ObjectNode) json.get("queryStringParameters")).put("user", user);
            ((ObjectNode) json.get("multiValueQueryStringParameters")).putArray("user").add(user);
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
