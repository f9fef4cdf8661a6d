package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code ./run --transaction-window-ms N}: the own dynalite's window, as the environment variable sets it. */
class RunCommandTest {

    @Test
    void transactionWindowOption_reachesTheStoreAsItsVariable_overridingTheEnvironment() {
        LocalRunner.Options options = RunCommand.parse(new String[] {"--transaction-window-ms", "40"},
                Map.of(LocalStore.TRANSACTION_WINDOW_MS, "10"));

        assertThat(LocalStore.transactionWindow(options.environment())).contains(Duration.ofMillis(40));
    }

    @Test
    void noOption_environmentVariableOrEmulatorDefault() {
        assertThat(LocalStore.transactionWindow(RunCommand.parse(new String[0], Map.of(LocalStore.TRANSACTION_WINDOW_MS, "0"))
                .environment())).contains(Duration.ZERO);
        assertThat(LocalStore.transactionWindow(RunCommand.parse(new String[0], Map.of()).environment())).isEmpty();
    }

    @Test
    void badWindow_rejectedNamingTheVariable() {
        for (String bad : new String[] {"-1", "25ms", "1000000", "2.5"}) {
            assertThatThrownBy(() -> RunCommand.parse(new String[] {"--transaction-window-ms", bad}, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("TRANSACTION_WINDOW_MS must be whole milliseconds from 0 to 999999, not " + bad);
        }
    }

    @Test
    void windowOptionWithStoreYouRun_rejected() {
        assertThatThrownBy(() -> RunCommand.parse(new String[] {"--transaction-window-ms", "40"},
                Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--transaction-window-ms sets the runner's own dynalite");
        assertThat(RunCommand.parse(new String[0], Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567")).dataDir())
                .isEqualTo(Optional.empty());
    }
}
