package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./run}'s options: each bad value is one line naming the option and what it expects (not Java's parse error). */
class RunArgumentsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port|abc|--port expects a TCP port from 0 to 65535 (0: any free one), not abc",
            "--port|70000|--port expects a TCP port from 0 to 65535 (0: any free one), not 70000",
            "--port|-1|--port expects a TCP port from 0 to 65535 (0: any free one), not -1",
            "--containers|x|--containers expects a whole number of containers from 1 to 1000, not x",
            "--containers|0|--containers expects a whole number of containers from 1 to 1000, not 0",
            "--integration-timeout|x|--integration-timeout expects seconds from 0.001 to 86400 (e.g. 29 or 0.5), not x",
            "--integration-timeout|NaN|--integration-timeout expects seconds from 0.001 to 86400 (e.g. 29 or 0.5), not NaN",
            "--integration-timeout|-1|--integration-timeout expects seconds from 0.001 to 86400 (e.g. 29 or 0.5), not -1",
            "--transaction-window-ms|25ms|--transaction-window-ms expects whole milliseconds from 0 to 999999, not 25ms",
    })
    void badNumber_oneLineNamingTheOptionAndWhatItExpects(String option, String value, String message) {
        assertThatThrownBy(() -> RunArguments.parse(new String[] {option, value}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void badPortVariable_namesTheVariable() {
        assertThatThrownBy(() -> RunArguments.parse(new String[0], Map.of("PORT", "http")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PORT expects a TCP port from 0 to 65535 (0: any free one), not http");
    }

    @Test
    void optionOverPortVariable() {
        assertThat(RunArguments.parse(new String[] {"--port", "4000"}, Map.of("PORT", "5000")).orElseThrow().port()).isEqualTo(4000);
        assertThat(RunArguments.parse(new String[0], Map.of("PORT", "5000")).orElseThrow().port()).isEqualTo(5000);
        assertThat(RunArguments.parse(new String[0], Map.of()).orElseThrow().port()).isEqualTo(RunArguments.DEFAULT_PORT);
    }

    @Test
    void missingValue_unknownOption() {
        assertThatThrownBy(() -> RunArguments.parse(new String[] {"--quiet", "--port"}, Map.of())).hasMessage("--port needs a value");
        assertThatThrownBy(() -> RunArguments.parse(new String[] {"--prot", "4000"}, Map.of())).hasMessage("unknown option --prot");
    }

    @Test
    void goodValues() {
        RunArguments arguments = RunArguments.parse(new String[] {"--integration-timeout", "0.5", "--transaction-window-ms", "0",
                "--containers", "2"}, Map.of()).orElseThrow();

        assertThat(arguments.integrationTimeout()).contains(Duration.ofMillis(500));
        assertThat(arguments.transactionWindowMs()).contains(0L);
        assertThat(arguments.containers()).isEqualTo(2);
        assertThat(arguments.dataDir()).isEqualTo(Optional.empty());
    }

    @Test
    void help_evenWithBadOptions() {
        assertThat(RunArguments.parse(new String[] {"--port", "abc", "-h"}, Map.of())).isEmpty();
    }
}
