package com.hourlyanalytics.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API's methods as template.yaml's function events declare them (each {@code Path} and {@code Method} on the
 * API), named as usage plans and stage settings name them: {@code /analytics/batch/POST}, {@code /analytics/ANY}.
 * A request runs the resource's method for its HTTP method if the API has one, else the resource's ANY, as API
 * Gateway chooses; each throttle counts per method, so the two are not the same bucket.
 */
public final class ApiMethods {

    static final String ANY = "ANY";

    private final Set<String> names;

    ApiMethods(Set<String> names) {
        this.names = Set.copyOf(names);
    }

    static ApiMethods fromTemplate(JsonNode template) {
        Set<String> names = new TreeSet<>();
        template.path("Resources").elements().forEachRemaining(resource -> {
            if ("AWS::Serverless::Function".equals(resource.path("Type").asText())) {
                resource.at("/Properties/Events").elements().forEachRemaining(event -> {
                    if ("Api".equals(event.path("Type").asText())) {
                        JsonNode properties = event.path("Properties");
                        names.add(name(properties.path("Path").asText(), properties.path("Method").asText()));
                    }
                });
            }
        });
        return new ApiMethods(names);
    }

    /** The method a request to {@code resource} with {@code httpMethod} runs, or null when the API has none there. */
    String of(String resource, String httpMethod) {
        String own = name(resource, httpMethod);
        if (names.contains(own)) {
            return own;
        }
        String any = name(resource, ANY);
        return names.contains(any) ? any : null;
    }

    boolean contains(String method) {
        return names.contains(method);
    }

    Set<String> names() {
        return names;
    }

    private static String name(String resource, String method) {
        return resource + "/" + method.toUpperCase(Locale.ROOT);
    }
}
