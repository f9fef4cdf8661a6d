package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.model.Partner;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PseudonymsTest {

    private static final Pseudonyms KEY = new Pseudonyms("a test key of at least thirty-two characters");

    @Test
    void of_sameVisitor_sameBase64urlPseudonym_withoutTheId() {
        String pseudonym = KEY.of(new Partner("p1"), "alice@example.com");

        assertThat(pseudonym).hasSize(43).matches("[A-Za-z0-9_-]+").doesNotContain("alice")
                .isEqualTo(KEY.of(new Partner("p1"), "alice@example.com"));
    }

    @Test
    void of_isHmacSha256OfThePartnersLengthPartnerAndUser() {
        // Computed outside Java: printf '\0\0\0\002p1alice' | openssl dgst -sha256 -hmac <key> -binary | base64url
        assertThat(new Pseudonyms("0123456789abcdef0123456789abcdef").of(new Partner("p1"), "alice"))
                .isEqualTo("QnwkakTvy_haSxV2XryFnIp5UAwLatATlB25hArgs3g");
    }

    @Test
    void of_partnerAndUserSplitDifferently_differ() {
        // Without the partner id's length, ("p", "1alice") and ("p1", "alice") would hash the same bytes.
        Set<String> pseudonyms = new HashSet<>();
        for (var pair : List.of(List.of("", "p1alice"), List.of("p", "1alice"), List.of("p1", "alice"), List.of("p1a", "lice"))) {
            Partner partner = pair.get(0).isEmpty() ? Partner.DEFAULT : new Partner(pair.get(0));
            assertThat(pseudonyms.add(KEY.of(partner, pair.get(1)))).as("%s", pair).isTrue();
        }
    }

    @Test
    void of_anotherKey_anotherPseudonymAndId() {
        Pseudonyms other = new Pseudonyms("another test key of at least thirty-two characters");

        assertThat(other.of(Partner.DEFAULT, "u")).isNotEqualTo(KEY.of(Partner.DEFAULT, "u"));
        assertThat(other.id()).hasSize(12).isNotEqualTo(KEY.id());
        assertThat(KEY.id()).isEqualTo(new Pseudonyms("a test key of at least thirty-two characters").id());
    }

    @Test
    void of_manyThreadsAtOnce_agreeWithOneThread() {
        var seen = new ConcurrentHashMap<Integer, String>();
        IntStream.range(0, 20_000).parallel().forEach(i -> seen.put(i, KEY.of(Partner.DEFAULT, "u" + (i % 100))));

        IntStream.range(0, 20_000).forEach(i -> assertThat(seen.get(i)).isEqualTo(KEY.of(Partner.DEFAULT, "u" + (i % 100))));
    }

    @Test
    void new_shortOrMissingKey_isRefused() {
        assertThatThrownBy(() -> new Pseudonyms("short")).hasMessage("a pseudonym key must be at least 32 characters");
        assertThatThrownBy(() -> new Pseudonyms("   ")).hasMessage("a pseudonym key must be at least 32 characters");
        assertThatThrownBy(() -> new Pseudonyms(null)).hasMessage("a pseudonym key must be at least 32 characters");
    }

    @Test
    void toString_neverShowsTheKey() {
        assertThat(KEY.toString()).isEqualTo("pseudonym key " + KEY.id()).doesNotContain("test key");
    }
}
