package com.hourlyanalytics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PartnerKeysTest {

    @Test
    void partnerOf_unmappedKey_isItsOwnPartner() {
        assertThat(PartnerKeys.NONE.partnerOf("k1a2b3c4d5")).isEqualTo(new Partner("k1a2b3c4d5"));
    }

    @Test
    void partnerOf_noKeyId_isTheDefaultPartner() {
        assertThat(PartnerKeys.NONE.partnerOf(null)).isSameAs(Partner.DEFAULT);
        assertThat(PartnerKeys.NONE.partnerOf("")).isSameAs(Partner.DEFAULT);
        assertThat(Partner.DEFAULT.isDefault()).isTrue();
        assertThat(new Partner("k").isDefault()).isFalse();
    }

    @Test
    void partnerOf_rotatedKey_reachesThePartnerOfTheKeyItReplaces() {
        PartnerKeys keys = PartnerKeys.parse(" newKey = oldKey ,other=acme");

        assertThat(keys.partnerOf("newKey")).isEqualTo(keys.partnerOf("oldKey")).isEqualTo(new Partner("oldKey"));
        assertThat(keys.partnerOf("other")).isEqualTo(new Partner("acme"));
    }

    @Test
    void fromEnvironment_unsetOrBlank_mapsNothing() {
        assertThat(PartnerKeys.fromEnvironment(Map.of())).isSameAs(PartnerKeys.NONE);
        assertThat(PartnerKeys.fromEnvironment(Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, " "))).isSameAs(PartnerKeys.NONE);
    }

    @Test
    void fromEnvironment_malformedEntry_failsNamingTheVariableAndTheEntry() {
        assertThatThrownBy(() -> PartnerKeys.fromEnvironment(Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, "a=b,c")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable PARTNER_KEYS: 'c' is not keyId=partnerId");
        assertThatThrownBy(() -> PartnerKeys.parse("a=b,a=c")).hasMessage("key id 'a' is mapped twice");
        assertThatThrownBy(() -> PartnerKeys.parse("a=")).hasMessage("'a=' is not keyId=partnerId");
    }

    @Test
    void partner_tooLongOrControlCharacters_isRefused() {
        assertThat(new Partner("é".repeat(64)).id()).hasSize(64);
        assertThatThrownBy(() -> new Partner("é".repeat(64) + "x")).hasMessage("partner id is longer than 128 UTF-8 bytes");
        assertThatThrownBy(() -> PartnerKeys.NONE.partnerOf("a\nb"))
                .hasMessage("partner id holds a control character or invalid Unicode");
        assertThatThrownBy(() -> new Partner("a\uD800")).isInstanceOf(IllegalArgumentException.class);
    }
}
