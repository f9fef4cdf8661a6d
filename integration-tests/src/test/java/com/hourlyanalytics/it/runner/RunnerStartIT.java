package com.hourlyanalytics.it.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.testing.HttpApi;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./run} (the jar the script execs) refusing to start: a port in use and a bad option each end it with one line
 * naming the problem and the way out, a non-zero status and no stack trace (before: a 14-line BindException, or
 * {@code For input string: "abc"} and the whole usage); its own dynalite is not left behind. And the raw status line of
 * a 422 it serves carries the reason phrase (before: {@code HTTP/1.1 422 }).
 */
class RunnerStartIT {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void portInUse_oneLineNamingThePortAndHowToChooseAnother_status1(@TempDir Path data) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            // On its own data folder, so that its emulator can be found once the runner has exited.
            RunnerJar runner = RunnerJar.run(List.of("--port", Integer.toString(port), "--data", data.toString()), BOUND);

            assertThat(runner.exitValue()).isEqualTo(1);
            assertThat(runner.output()).containsExactly("./run: cannot listen on 127.0.0.1:" + port
                    + " (Address already in use); choose another port with --port N or PORT=N");
            assertThat(RunnerProcess.emulatorsServing(data, Duration.ofSeconds(5))).as("its emulator stopped").isEmpty();
        }
    }

    @Test
    void badNumericOption_oneLineNamingTheOptionAndWhatItExpects_status2() throws Exception {
        RunnerJar runner = RunnerJar.run(List.of("--port", "abc"), BOUND);

        assertThat(runner.exitValue()).isEqualTo(2);
        assertThat(runner.output()).containsExactly(
                "./run: --port expects a TCP port from 0 to 65535 (0: any free one), not abc (./run --help lists the options)");
    }

    @Test
    void badParameterOverride_oneLineNamingTheParameter_status1() throws Exception {
        RunnerJar runner = RunnerJar.run(List.of("--port", "0", "--parameter-overrides", "ThrottleRateLimit=abc"), BOUND);

        assertThat(runner.exitValue()).isEqualTo(1);
        assertThat(runner.output()).containsExactly("./run: --parameter-overrides ThrottleRateLimit expects a number from 1, not abc");
    }

    @Test
    void unprocessable_rawStatusLineHasItsReasonPhrase() throws Exception {
        RunnerJar runner = RunnerJar.start(List.of("--port", "0"));
        try {
            HttpApi api = new HttpApi(runner.base());
            String target = "/analytics?timestamp=1709287200000&user=u1&event=click&event_id=e1";
            assertThat(api.send("POST", target).statusCode()).isEqualTo(204);

            // The same event id for another event: 422.
            assertThat(statusLine(runner, "POST", target.replace("event=click", "event=impression")))
                    .isEqualTo("HTTP/1.1 422 Unprocessable Entity");
        } finally {
            runner.stop();
        }
    }

    private static String statusLine(RunnerJar runner, String method, String target) throws Exception {
        try (Socket socket = new Socket(runner.base().getHost(), runner.base().getPort())) {
            socket.getOutputStream().write((method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
        }
    }
}
