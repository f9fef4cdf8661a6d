package com.hourlyanalytics.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PartnerKeysTest {

    @Test
    void partnerOf_unmappedKey_isItsOwnPartner() {
        assertThat(PartnerKeys.CLOSED.partnerOf("k1a2b3c4d5")).hasValue(new Partner("k1a2b3c4d5"));
    }

    @Test
    void partnerOf_noKeyId_isTheDefaultPartnerOnlyWhenOpen() {
        assertThat(PartnerKeys.OPEN.partnerOf(null)).containsSame(Partner.DEFAULT);
        assertThat(PartnerKeys.OPEN.partnerOf("")).containsSame(Partner.DEFAULT);
        assertThat(PartnerKeys.CLOSED.partnerOf(null)).isEmpty();
        assertThat(PartnerKeys.CLOSED.partnerOf("")).isEmpty();
        assertThat(PartnerKeys.parse("a=b").partnerOf(null)).as("a parsed mapping is closed").isEmpty();
        assertThat(Partner.DEFAULT.isDefault()).isTrue();
        assertThat(new Partner("k").isDefault()).isFalse();
    }

    @Test
    void partnerOf_rotatedKey_reachesThePartnerOfTheKeyItReplaces() {
        PartnerKeys keys = PartnerKeys.parse(" newKey = oldKey ,other=acme");

        assertThat(keys.partnerOf("newKey")).isEqualTo(keys.partnerOf("oldKey")).hasValue(new Partner("oldKey"));
        assertThat(keys.partnerOf("other")).hasValue(new Partner("acme"));
    }

    @Test
    void fromEnvironment_unsetOrBlank_mapsNothing_andIsClosedUnlessKeylessRequestsAreAllowed() {
        assertThat(PartnerKeys.fromEnvironment(Map.of())).isSameAs(PartnerKeys.CLOSED);
        assertThat(PartnerKeys.fromEnvironment(Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, " "))).isSameAs(PartnerKeys.CLOSED);
        assertThat(PartnerKeys.fromEnvironment(Map.of(PartnerKeys.KEYLESS_VARIABLE, "false")).allowsKeyless()).isFalse();
        assertThat(PartnerKeys.fromEnvironment(Map.of(PartnerKeys.KEYLESS_VARIABLE, "true")).allowsKeyless()).isTrue();
        PartnerKeys openMapped = PartnerKeys.fromEnvironment(Map.of(PartnerKeys.KEYLESS_VARIABLE, "TRUE",
                PartnerKeys.ENVIRONMENT_VARIABLE, "k2=k1"));
        assertThat(openMapped.partnerOf("k2")).hasValue(new Partner("k1"));
        assertThat(openMapped.partnerOf(null)).containsSame(Partner.DEFAULT);
    }

    @Test
    void fromEnvironment_keylessNeitherTrueNorFalse_failsNamingTheVariable() {
        assertThatThrownBy(() -> PartnerKeys.fromEnvironment(Map.of(PartnerKeys.KEYLESS_VARIABLE, "yes")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable ALLOW_KEYLESS_REQUESTS must be true or false, not 'yes'");
    }

    @Test
    void fromEnvironment_malformedEntry_failsNamingTheVariableAndTheEntry() {
        assertThatThrownBy(() -> PartnerKeys.fromEnvironment(Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, "a=b,c")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable PARTNER_KEYS: 'c' is not keyId=partnerId");
        assertThatThrownBy(() -> PartnerKeys.parse("a=")).hasMessage("'a=' is not keyId=partnerId");
        assertThatThrownBy(() -> PartnerKeys.parse("a=b=c")).hasMessage("'a=b=c' is not keyId=partnerId");
        assertThatThrownBy(() -> PartnerKeys.parse("a=b,,c=d")).hasMessage("'' is not keyId=partnerId");
        assertThatThrownBy(() -> PartnerKeys.parse("a=b,")).as("a trailing comma").hasMessage("'' is not keyId=partnerId");
        assertThatThrownBy(() -> PartnerKeys.parse("new key=old")).hasMessage("'new key=old': 'new key' holds a space; API key ids never do");
        assertThatThrownBy(() -> PartnerKeys.parse("k=" + "p".repeat(129)))
                .hasMessageStartingWith("'k=ppp").hasMessageEndingWith("': partner id is longer than 128 UTF-8 bytes");
    }

    @Test
    void parse_keyIdMappedTwice_evenToTheSamePartner_failsNamingBothEntries() {
        assertThatThrownBy(() -> PartnerKeys.parse("a=b,a=c")).hasMessage("'a=c': key id 'a' is mapped twice (also 'a=b')");
        assertThatThrownBy(() -> PartnerKeys.parse("a=b, a=b")).hasMessage("'a=b': key id 'a' is mapped twice (also 'a=b')");
    }

    @Test
    void parse_keyMappedToItself_fails() {
        assertThatThrownBy(() -> PartnerKeys.parse("k2=k1,k1=k1"))
                .hasMessage("'k1=k1' maps key id 'k1' to itself; leave it out (an unmapped key is its own partner)");
    }

    @Test
    void parse_chain_failsNamingTheEntryAndTheOneItMapsOnto_inEitherOrder() {
        String expected = "'k3=k2' maps onto key id 'k2', which is itself mapped ('k2=k1'): a key id is a partner or mapped, never "
                + "both; if 'k2' is partner k2's own key, drop 'k2=k1'; if 'k3' replaces a key of partner k1, write 'k3=k1'";

        assertThatThrownBy(() -> PartnerKeys.parse("k2=k1,k3=k2")).hasMessage(expected);
        assertThatThrownBy(() -> PartnerKeys.parse("k3=k2,k2=k1")).hasMessage(expected);
    }

    @Test
    void parse_partnersOwnKeyMappedOntoAnotherPartner_failsBeforeAnyMerge() {
        // acme rotated to a2; then acme's own key id is typed as another partner's rotation: acme would read globex's counts.
        assertThatThrownBy(() -> PartnerKeys.parse("a2=acme,acme=globex"))
                .hasMessageStartingWith("'a2=acme' maps onto key id 'acme', which is itself mapped ('acme=globex')")
                .hasMessageContaining("if 'acme' is partner acme's own key, drop 'acme=globex'");
    }

    @Test
    void parse_severalKeysOfOnePartner_isARotationNotAnError() {
        PartnerKeys keys = PartnerKeys.parse("k2=k1,k3=k1,x2=x1");

        assertThat(keys.partnerOf("k3")).isEqualTo(keys.partnerOf("k2")).hasValue(new Partner("k1"));
        assertThat(keys.text()).isEqualTo("k2=k1,k3=k1,x2=x1");
    }

    @Test
    void withRotation_mapsTheNewKeyToThePartnerTheOldOneReaches() {
        assertThat(PartnerKeys.CLOSED.withRotation("k1", "k2").text()).isEqualTo("k2=k1");
        assertThat(PartnerKeys.parse("k2=k1").withRotation("k2", "k3").text()).as("never a chain").isEqualTo("k2=k1,k3=k1");
        assertThat(PartnerKeys.parse("k2=k1").withRotation("k1", "k3").text()).isEqualTo("k2=k1,k3=k1");
    }

    @Test
    void withRotation_newKeyThatIsTheOldOneAlreadyMappedOrAPartnersOwnId_isRefused() {
        PartnerKeys keys = PartnerKeys.parse("k2=k1");

        assertThatThrownBy(() -> keys.withRotation("k2", "k2")).hasMessage("the new key id is the old one, 'k2'");
        assertThatThrownBy(() -> keys.withRotation("x1", "k2"))
                .hasMessage("key id 'k2' already has an entry ('k2=k1'); a new key id comes from a key created for this rotation");
        assertThatThrownBy(() -> keys.withRotation("x1", "k1")).hasMessage("key id 'k1' is partner k1's own id (entries map to it), not a new key");
        assertThatThrownBy(() -> keys.withRotation("x1", "bad key")).hasMessage("'bad key=x1': 'bad key' holds a space; API key ids never do");
    }

    @Test
    void partner_tooLongOrControlCharacters_isRefused() {
        assertThat(new Partner("é".repeat(64)).id()).hasSize(64);
        assertThatThrownBy(() -> new Partner("é".repeat(64) + "x")).hasMessage("partner id is longer than 128 UTF-8 bytes");
        assertThatThrownBy(() -> PartnerKeys.OPEN.partnerOf("a\nb"))
                .hasMessage("partner id holds a control character or invalid Unicode");
        assertThatThrownBy(() -> new Partner("a\uD800")).isInstanceOf(IllegalArgumentException.class);
    }
}
