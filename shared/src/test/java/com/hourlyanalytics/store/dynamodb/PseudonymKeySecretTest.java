package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PseudonymKeySecretTest {

    @Test
    void settingsFromEnvironment_deployedWithoutTheSecret_failsClosedNamingTheSetting() {
        assertThatThrownBy(() -> PseudonymKeySecret.settingsFromEnvironment(Map.of("TABLE_NAME", "t")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("environment variable PSEUDONYM_KEY_SECRET is not set: a store that is not on this machine");
        assertThatThrownBy(() -> PseudonymKeySecret.settingsFromEnvironment(Map.of("TABLE_NAME", "t", "PSEUDONYM_KEY_SECRET", " ",
                "DYNAMODB_ENDPOINT", "https://dynamodb.eu-west-1.amazonaws.com"))).hasMessageContaining("PSEUDONYM_KEY_SECRET is not set");
    }

    @Test
    void settingsFromEnvironment_storeOnThisMachine_takesTheLocalKey() {
        StoreSettings settings = PseudonymKeySecret.settingsFromEnvironment(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000"));

        assertThat(settings.pseudonymKeys()).containsExactly(Pseudonyms.LOCAL);
    }

    @Test
    void read_secretUnreachable_failsNamingTheSecretAndStage() {
        // Nothing listens on port 9 here: the call fails as an unreachable or forbidden secret does, before any key.
        assertThatThrownBy(() -> PseudonymKeySecret.read("eu-west-1", Optional.of(URI.create("http://127.0.0.1:9")), "stack/pseudonym-key",
                List.of("AWSCURRENT")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read pseudonym key stage AWSCURRENT of secret stack/pseudonym-key"
                        + " (PSEUDONYM_KEY_SECRET, PSEUDONYM_KEY_STAGES): ");
    }

    @Test
    void stages_currentFirstAsListed_defaultTheCurrentVersion() {
        assertThat(PseudonymKeySecret.stages(Map.of("PSEUDONYM_KEY_STAGES", " key-2, AWSCURRENT,,key-2"))).containsExactly("key-2", "AWSCURRENT");
        assertThat(PseudonymKeySecret.stages(Map.of())).containsExactly("AWSCURRENT");
    }
}
