package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.local.gateway.ApiKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code ./run}'s command line into the runner's options; {@code --transaction-window-ms N}: the own dynalite's window, as the environment variable sets it. */
class RunCommandTest {

    @Test
    void transactionWindowOption_reachesTheStoreAsItsVariable_overridingTheEnvironment() {
        LocalRunner.Options options = RunCommand.parse(new String[] {"--transaction-window-ms", "40"},
                Map.of(LocalStore.TRANSACTION_WINDOW_MS, "10")).orElseThrow();

        assertThat(LocalStore.transactionWindow(options.environment())).contains(Duration.ofMillis(40));
    }

    @Test
    void noOption_environmentVariableOrEmulatorDefault() {
        assertThat(LocalStore.transactionWindow(RunCommand.parse(new String[0], Map.of(LocalStore.TRANSACTION_WINDOW_MS, "0"))
                .orElseThrow().environment())).contains(Duration.ZERO);
        assertThat(LocalStore.transactionWindow(RunCommand.parse(new String[0], Map.of()).orElseThrow().environment())).isEmpty();
    }

    @Test
    void badWindow_rejectedNamingTheOptionOrTheVariable() {
        for (String bad : new String[] {"-1", "25ms", "1000000", "2.5"}) {
            assertThatThrownBy(() -> RunCommand.parse(new String[] {"--transaction-window-ms", bad}, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--transaction-window-ms expects whole milliseconds from 0 to 999999, not " + bad);
            assertThatThrownBy(() -> RunCommand.parse(new String[0], Map.of(LocalStore.TRANSACTION_WINDOW_MS, bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TRANSACTION_WINDOW_MS expects whole milliseconds from 0 to 999999, not " + bad);
        }
    }

    @Test
    void help_noOptions() {
        assertThat(RunCommand.parse(new String[] {"--port", "abc", "--help"}, Map.of())).isEmpty();
    }

    @Test
    void options_reachTheRunnerOptions() {
        LocalRunner.Options options = RunCommand.parse(new String[] {"--lambda", "--containers", "2", "--port", "0", "--quiet",
                "--integration-timeout", "0.5", "--api-key", "p1=SECRET1", "--parameter-overrides", "QuotaLimit=5"}, Map.of()).orElseThrow();

        assertThat(options.mode()).isEqualTo(LocalRunner.Mode.LAMBDA);
        assertThat(options.maxContainers()).isEqualTo(2);
        assertThat(options.port()).isZero();
        assertThat(options.quiet()).isTrue();
        assertThat(options.gateway().integrationTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.gateway().apiKeys()).extracting(ApiKey::id).containsExactly("p1");
        assertThat(options.gateway().parameterOverrides()).containsExactly(Map.entry("QuotaLimit", "5"));
    }

    @Test
    void windowOptionWithStoreYouRun_rejected() {
        assertThatThrownBy(() -> RunCommand.parse(new String[] {"--transaction-window-ms", "40"},
                Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--transaction-window-ms sets the runner's own dynalite");
        assertThat(RunCommand.parse(new String[0], Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567")).orElseThrow().dataDir())
                .isEqualTo(Optional.empty());
    }
}
