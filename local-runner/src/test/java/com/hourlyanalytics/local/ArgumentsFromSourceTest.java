package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@code ./run} and {@code ./invoke} do before a build (scripts/lib.sh, check_arguments_before_build): each
 * argument class runs from its source file with the JDK alone, so --help and a bad option answer on a fresh clone.
 * A project import in one of them would make these fail to compile.
 */
class ArgumentsFromSourceTest {

    private static final Path SOURCES = Path.of("src/main/java/com/hourlyanalytics/local");

    private record Ran(int status, String out, String err) {
    }

    private static Ran run(String file, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                SOURCES.resolve(file).toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(process.exitValue(), out, err);
    }

    @Test
    void runArguments_helpBadOptionAndGoodOnes_fromSource() throws Exception {
        Ran help = run("RunArguments.java", "--port", "abc", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).isEqualTo(RunArguments.USAGE + "\n");

        Ran bad = run("RunArguments.java", "--lambda", "--port", "abc");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).isEqualTo("./run: --port expects a TCP port from 0 to 65535 (0: any free one), not abc"
                + " (./run --help lists the options)\n");

        Ran good = run("RunArguments.java", "--lambda", "--port", "4000", "--api-key", "p1=SECRET1");
        assertThat(good.status()).isZero();
        assertThat(good.out() + good.err()).isEmpty();
    }

    @Test
    void invokeArguments_helpAndBadOne_fromSource() throws Exception {
        Ran help = run("InvokeArguments.java", "-h");
        assertThat(help.status()).isZero();
        assertThat(help.out()).isEqualTo(InvokeArguments.USAGE + "\n");

        Ran bad = run("InvokeArguments.java", "IngestFunction");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("./invoke: need a function's logical id and an event file, not [IngestFunction]"
                + " (./invoke --help lists the options)\n");
    }
}
