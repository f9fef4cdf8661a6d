package com.hourlyanalytics.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code AWS::Serverless::Function} of a SAM template, with {@code Globals.Function} applied as SAM applies
 * it: the function's own value wins, and the two Environment blocks merge variable by variable.
 *
 * @param codeUri     the function's code, resolved against the template's folder
 * @param environment every variable, with {@code !Ref} of a parameter replaced by its Default and {@code !Ref}
 *                    of a resource by the resource's logical id (a deployed name has no local meaning)
 */
public record ServerlessFunction(String logicalId, Path codeUri, String handler, int timeoutSeconds, int memoryMb,
                                 Map<String, String> environment) {

    /** Lambda's own defaults, which SAM keeps when neither the function nor Globals set them. */
    static final int DEFAULT_TIMEOUT_SECONDS = 3;
    static final int DEFAULT_MEMORY_MB = 128;

    /** Every serverless function of the template, by logical id, in template order. */
    public static Map<String, ServerlessFunction> readAll(Path template) {
        JsonNode root = CloudFormationYaml.read(template);
        JsonNode globals = root.path("Globals").path("Function");
        JsonNode parameters = root.path("Parameters");
        Path folder = template.toAbsolutePath().getParent();
        Map<String, ServerlessFunction> functions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            if (!"AWS::Serverless::Function".equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            JsonNode properties = resource.getValue().path("Properties");
            String id = resource.getKey();
            Map<String, String> environment = new LinkedHashMap<>();
            for (JsonNode block : new JsonNode[] {globals, properties}) {
                block.path("Environment").path("Variables").fields()
                        .forEachRemaining(variable -> environment.put(variable.getKey(), value(variable.getValue(), parameters, id)));
            }
            functions.put(id, new ServerlessFunction(id,
                    folder.resolve(required(properties, globals, "CodeUri", id).asText()).normalize(),
                    required(properties, globals, "Handler", id).asText(),
                    setting(properties, globals, "Timeout").map(JsonNode::asInt).orElse(DEFAULT_TIMEOUT_SECONDS),
                    setting(properties, globals, "MemorySize").map(JsonNode::asInt).orElse(DEFAULT_MEMORY_MB),
                    Map.copyOf(environment)));
        }
        return functions;
    }

    private static Optional<JsonNode> setting(JsonNode properties, JsonNode globals, String name) {
        JsonNode own = properties.path(name);
        JsonNode chosen = own.isMissingNode() ? globals.path(name) : own;
        return chosen.isMissingNode() ? Optional.empty() : Optional.of(chosen);
    }

    private static JsonNode required(JsonNode properties, JsonNode globals, String name, String function) {
        return setting(properties, globals, name)
                .orElseThrow(() -> new IllegalArgumentException(function + " has no " + name));
    }

    private static String value(JsonNode value, JsonNode parameters, String function) {
        if (value.isValueNode()) {
            return value.asText();
        }
        JsonNode ref = value.path("Ref");
        if (ref.isTextual()) {
            JsonNode parameter = parameters.path(ref.asText());
            return parameter.isMissingNode() ? ref.asText() : parameter.path("Default").asText("");
        }
        throw new IllegalArgumentException(function + ": environment value " + value + " is neither a literal nor a !Ref");
    }
}
