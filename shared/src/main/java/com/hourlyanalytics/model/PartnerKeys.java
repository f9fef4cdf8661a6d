package com.hourlyanalytics.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which partner an API key belongs to. A key's partner is its own id, unless an operator maps the key to another
 * partner: a rotated key maps to the partner of the key it replaces, so the new key reaches the same data
 * (docs/deployment.md, Rotating a partner's key). Written as {@code keyId=partnerId[,keyId=partnerId...]}.
 *
 * <p>A request without a key id has no partner, unless keyless requests are allowed ({@link #OPEN}): then it is
 * the {@link Partner#DEFAULT default partner}'s. Only the local runner's open mode allows them; a deployed function
 * has no {@link #KEYLESS_VARIABLE} and refuses them.
 */
public final class PartnerKeys {

    /** The functions' environment variable holding the mapping; set in template.yaml's Globals. */
    public static final String ENVIRONMENT_VARIABLE = "PARTNER_KEYS";
    /**
     * {@code true} lets requests without a key id in, as the default partner's. Only {@code ./run} without
     * {@code --api-key} sets it; template.yaml never does (TemplateIT checks), so deployed functions fail closed.
     */
    public static final String KEYLESS_VARIABLE = "ALLOW_KEYLESS_REQUESTS";
    /** No key mapped; a request without a key id is refused: a deployed function with an empty mapping. */
    public static final PartnerKeys CLOSED = new PartnerKeys(Map.of(), false);
    /** No key mapped; a request without a key id is the default partner's: the open local API, and tests. */
    public static final PartnerKeys OPEN = new PartnerKeys(Map.of(), true);

    private final Map<String, Partner> mapped;
    private final boolean keyless;

    private PartnerKeys(Map<String, Partner> mapped, boolean keyless) {
        this.mapped = mapped;
        this.keyless = keyless;
    }

    /**
     * The mapping in {@link #ENVIRONMENT_VARIABLE} (none when unset or blank), open only when
     * {@link #KEYLESS_VARIABLE} is {@code true}.
     *
     * @throws IllegalStateException naming the variable and the first bad entry or value: the function must not start
     */
    public static PartnerKeys fromEnvironment(Map<String, String> environment) {
        PartnerKeys keys;
        try {
            keys = parse(environment.get(ENVIRONMENT_VARIABLE));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + ENVIRONMENT_VARIABLE + ": " + e.getMessage());
        }
        String keylessValue = environment.getOrDefault(KEYLESS_VARIABLE, "").strip().toLowerCase(Locale.ROOT);
        return switch (keylessValue) {
            case "", "false" -> keys;
            case "true" -> keys.allowingKeyless();
            default -> throw new IllegalStateException("environment variable " + KEYLESS_VARIABLE + " must be true or false, not '"
                    + environment.get(KEYLESS_VARIABLE) + "'");
        };
    }

    /**
     * A mapping that refuses requests without a key id.
     *
     * @throws IllegalArgumentException naming the first entry that is malformed, maps a key id twice or to itself, or
     *                                  makes a chain (see {@link PartnerKeyEntry#checkAgainst})
     */
    public static PartnerKeys parse(String text) {
        if (text == null || text.isBlank()) {
            return CLOSED;
        }
        Map<String, PartnerKeyEntry> entries = new LinkedHashMap<>();
        for (String written : text.split(",", -1)) {
            PartnerKeyEntry entry = PartnerKeyEntry.parse(written);
            PartnerKeyEntry earlier = entries.putIfAbsent(entry.keyId(), entry);
            if (earlier != null) {
                throw new IllegalArgumentException(entry.quoted() + ": key id '" + entry.keyId() + "' is mapped twice (also "
                        + earlier.quoted() + ")");
            }
        }
        Map<String, Partner> mapped = new LinkedHashMap<>();
        for (PartnerKeyEntry entry : entries.values()) {
            entry.checkAgainst(entries);
            mapped.put(entry.keyId(), entry.partner());
        }
        return new PartnerKeys(Map.copyOf(mapped), false);
    }

    /** The same mapping, letting requests without a key id in as the default partner's. */
    public PartnerKeys allowingKeyless() {
        return new PartnerKeys(mapped, true);
    }

    public boolean allowsKeyless() {
        return keyless;
    }

    /**
     * The partner of a request's API key id; for a request without one, the default partner when keyless requests
     * are allowed, else none.
     *
     * @throws IllegalArgumentException when the key id cannot name a partner (see {@link Partner})
     */
    public Optional<Partner> partnerOf(String apiKeyId) {
        if (apiKeyId == null || apiKeyId.isEmpty()) {
            return keyless ? Optional.of(Partner.DEFAULT) : Optional.empty();
        }
        Partner partner = mapped.get(apiKeyId);
        return Optional.of(partner != null ? partner : new Partner(apiKeyId));
    }

    /**
     * This mapping with one more entry: {@code newKeyId} reaches the partner {@code oldKeyId} reaches (its entry's
     * partner, or its own id), so a rotation never chains and never needs the partner id typed.
     *
     * @throws IllegalArgumentException when the new key id is the old one, already has an entry, or is a partner's
     *                                  own id (an entry maps to it), or the result breaks a rule of {@link #parse}
     */
    public PartnerKeys withRotation(String oldKeyId, String newKeyId) {
        PartnerKeyEntry entry = PartnerKeyEntry.parse(newKeyId + "=" + partnerOf(oldKeyId).orElseThrow(
                () -> new IllegalArgumentException("the old key id is empty")).id());
        if (newKeyId.strip().equals(oldKeyId.strip())) {
            throw new IllegalArgumentException("the new key id is the old one, '" + oldKeyId + "'");
        }
        if (mapped.containsKey(entry.keyId())) {
            throw new IllegalArgumentException("key id '" + entry.keyId() + "' already has an entry ('" + entry.keyId() + "="
                    + mapped.get(entry.keyId()).id() + "'); a new key id comes from a key created for this rotation");
        }
        if (mapped.values().stream().anyMatch(partner -> partner.id().equals(entry.keyId()))) {
            throw new IllegalArgumentException("key id '" + entry.keyId() + "' is partner " + entry.keyId()
                    + "'s own id (entries map to it), not a new key");
        }
        return parse(text().isEmpty() ? entry.text() : text() + "," + entry.text());
    }

    /** The mapping in its written form, entries in key id order: what an operator command writes back. */
    public String text() {
        return String.join(",", mapped.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + "=" + entry.getValue().id()).toList());
    }
}
