package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Partner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One pseudonym key: a visitor's pseudonym is HMAC-SHA256 over (partner id, user id) under the key, base64url, so the
 * table can tell two events of one user apart from two users (all counting needs) without holding the id. Without the
 * key, a pseudonym cannot be tested against a guessed id (an e-mail address, a customer number), as a plain hash
 * could. The key itself never leaves this object: {@link #id()} names it in the table.
 */
public final class Pseudonyms {

    /** Below this a key is a typo or a placeholder, not a secret (a generated one is 64 characters). */
    public static final int MIN_KEY_LENGTH = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /**
     * The key of a store on this machine (./run, ./invoke, tests): fixed so local data stays readable across runs,
     * and refused for any other store (StoreSettings): it is in the code, so it is no secret.
     */
    public static final Pseudonyms LOCAL = new Pseudonyms("local only: ./run, ./invoke and tests; never a deployed store");

    private final Mac prototype;
    private final String id;

    /** @throws IllegalArgumentException when the key is shorter than {@link #MIN_KEY_LENGTH} characters */
    public Pseudonyms(String key) {
        if (key == null || key.strip().length() < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("a pseudonym key must be at least " + MIN_KEY_LENGTH + " characters");
        }
        try {
            prototype = Mac.getInstance(ALGORITHM);
            prototype.init(new SecretKeySpec(key.strip().getBytes(StandardCharsets.UTF_8), ALGORITHM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no " + ALGORITHM, e);
        }
        // Names the key in the table's record of which key counted which hours, without revealing it.
        id = hash("key id".getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    /** The visitor's pseudonym: 43 base64url characters, no {@code #}. */
    public String of(Partner partner, String userId) {
        byte[] partnerId = partner.id().getBytes(StandardCharsets.UTF_8);
        byte[] user = userId.getBytes(StandardCharsets.UTF_8);
        // The partner id's length first, so that no two (partner, user) pairs give the same bytes.
        return hash(ByteBuffer.allocate(4 + partnerId.length + user.length).putInt(partnerId.length).put(partnerId).put(user).array());
    }

    /** Twelve base64url characters derived from the key (not the key): which key counted an hour. */
    public String id() {
        return id;
    }

    private String hash(byte[] message) {
        try {
            // A Mac is not thread-safe; a clone of the initialized one costs far less than initializing again.
            return BASE64URL.encodeToString(((Mac) prototype.clone()).doFinal(message));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(ALGORITHM + " cannot be cloned", e);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "pseudonym key " + id;
    }
}
