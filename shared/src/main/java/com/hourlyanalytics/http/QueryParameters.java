package com.hourlyanalytics.http;

import java.util.List;
import java.util.Map;

/**
 * Decoded query parameters with every value a name was given, so that a repeated parameter is seen
 * (API Gateway's single-value map keeps only the last one).
 */
public record QueryParameters(Map<String, List<String>> values) {

    public QueryParameters {
        values = values == null ? Map.of() : values;
    }

    /** The one non-empty value of a required parameter. */
    public String required(String name) {
        String value = optional(name);
        if (value == null) {
            throw new InvalidRequestException("missing_parameter", "missing query parameter '" + name + "'");
        }
        return value;
    }

    /** The one non-empty value of an optional parameter, or null when it is absent. */
    public String optional(String name) {
        List<String> given = values.get(name);
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw new InvalidRequestException("repeated_parameter",
                    "query parameter '" + name + "' is repeated; send it once");
        }
        String value = given.get(0);
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException("empty_parameter", "query parameter '" + name + "' is empty");
        }
        return value;
    }
}
