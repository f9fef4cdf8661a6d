package com.hourlyanalytics.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which partner an API key belongs to. A key's partner is its own id, unless an operator maps the key to another
 * partner: a rotated key maps to the partner of the key it replaces, so the new key reaches the same data
 * (docs/deployment.md, Rotating a partner's key). Written as {@code keyId=partnerId[,keyId=partnerId...]}.
 */
public final class PartnerKeys {

    /** The functions' environment variable holding the mapping; set in template.yaml's Globals. */
    public static final String ENVIRONMENT_VARIABLE = "PARTNER_KEYS";
    /** No key mapped: every key is its own partner. */
    public static final PartnerKeys NONE = new PartnerKeys(Map.of());

    private final Map<String, Partner> mapped;

    private PartnerKeys(Map<String, Partner> mapped) {
        this.mapped = mapped;
    }

    /** The mapping in {@link #ENVIRONMENT_VARIABLE}; none when it is unset or blank. */
    public static PartnerKeys fromEnvironment(Map<String, String> environment) {
        try {
            return parse(environment.get(ENVIRONMENT_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + ENVIRONMENT_VARIABLE + ": " + e.getMessage());
        }
    }

    /** @throws IllegalArgumentException naming the first malformed or repeated entry */
    public static PartnerKeys parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        Map<String, Partner> mapped = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String[] parts = entry.strip().split("=", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("'" + entry.strip() + "' is not keyId=partnerId");
            }
            if (mapped.put(parts[0].strip(), new Partner(parts[1].strip())) != null) {
                throw new IllegalArgumentException("key id '" + parts[0].strip() + "' is mapped twice");
            }
        }
        return new PartnerKeys(Map.copyOf(mapped));
    }

    /**
     * The partner of a request's API key id: {@link Partner#DEFAULT} when it has none.
     *
     * @throws IllegalArgumentException when the key id cannot name a partner (see {@link Partner})
     */
    public Partner partnerOf(String apiKeyId) {
        if (apiKeyId == null || apiKeyId.isEmpty()) {
            return Partner.DEFAULT;
        }
        Partner partner = mapped.get(apiKeyId);
        return partner != null ? partner : new Partner(apiKeyId);
    }
}
