package com.hourlyanalytics.model;

import java.util.Map;

/**
 * One {@code keyId=partnerId} entry of {@link PartnerKeys}, checked alone when parsed and against the others when
 * the whole mapping is read, so that a typo stops the function instead of merging two partners' data.
 */
record PartnerKeyEntry(String keyId, Partner partner) {

    /** @throws IllegalArgumentException naming the entry when it is not {@code keyId=partnerId} with two valid ids */
    static PartnerKeyEntry parse(String written) {
        String entry = written.strip();
        String[] parts = entry.split("=", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("'" + entry + "' is not keyId=partnerId");
        }
        String keyId = parts[0].strip();
        String partnerId = parts[1].strip();
        for (String id : new String[] {keyId, partnerId}) {
            if (id.codePoints().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("'" + entry + "': '" + id + "' holds a space; API key ids never do");
            }
            try {
                new Partner(id);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + entry + "': " + e.getMessage());
            }
        }
        if (keyId.equals(partnerId)) {
            throw new IllegalArgumentException("'" + entry + "' maps key id '" + keyId
                    + "' to itself; leave it out (an unmapped key is its own partner)");
        }
        return new PartnerKeyEntry(keyId, new Partner(partnerId));
    }

    /**
     * A key id is either a partner some entry maps to or mapped itself, never both. With {@code c=b} and {@code b=a},
     * c reaches b's own (empty) data, not a's: a chain; and if b is a partner's own key, {@code b=a} hands that
     * partner a's counts: a key mapped onto another partner's id.
     *
     * @throws IllegalArgumentException naming this entry and the one it collides with
     */
    void checkAgainst(Map<String, PartnerKeyEntry> entries) {
        PartnerKeyEntry targetMapped = entries.get(partner.id());
        if (targetMapped != null) {
            String target = partner.id();
            throw new IllegalArgumentException(quoted() + " maps onto key id '" + target + "', which is itself mapped ("
                    + targetMapped.quoted() + "): a key id is a partner or mapped, never both; if '" + target + "' is partner "
                    + target + "'s own key, drop " + targetMapped.quoted() + "; if '" + keyId + "' replaces a key of partner "
                    + targetMapped.partner().id() + ", write '" + keyId + "=" + targetMapped.partner().id() + "'");
        }
    }

    String text() {
        return keyId + "=" + partner.id();
    }

    String quoted() {
        return "'" + text() + "'";
    }
}
