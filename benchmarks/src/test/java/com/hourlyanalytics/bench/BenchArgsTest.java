package com.hourlyanalytics.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    private static final Map<String, String> DEFAULTS = Map.of("runs", "5", "ratio", "0.9", "log", "");

    @Test
    void parse_givenOptions_overrideDefaults() {
        BenchArgs options = BenchArgs.parse(new String[] {"--runs", "2", "--log", "out.txt"}, DEFAULTS);

        assertThat(options.integer("runs")).isEqualTo(2);
        assertThat(options.decimal("ratio")).isEqualTo(0.9);
        assertThat(options.optional("log")).contains("out.txt");
    }

    @Test
    void parse_noValueAndNoDefault_isEmpty() {
        assertThat(BenchArgs.parse(new String[0], DEFAULTS).optional("log")).isEmpty();
    }

    @Test
    void parse_unknownOption_isRefusedByName() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--rusn", "2"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option --rusn");
    }

    @Test
    void parse_positionalArgument_isRefused() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"5"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown option 5");
    }

    @Test
    void parse_optionWithoutValue_isRefused() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runs"}, DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("option --runs needs a value");
    }

    @Test
    void parse_wordForNumericOption_isRefused() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runs", "five"}, DEFAULTS))
                .hasMessage("option --runs takes a number, got 'five'");
        assertThatThrownBy(() -> BenchArgs.parse(new String[] {"--runs", "2.5"}, DEFAULTS))
                .hasMessage("option --runs takes a whole number, got '2.5'");
        assertThat(BenchArgs.parse(new String[] {"--ratio", "1"}, DEFAULTS).decimal("ratio")).isEqualTo(1.0);
    }
}
