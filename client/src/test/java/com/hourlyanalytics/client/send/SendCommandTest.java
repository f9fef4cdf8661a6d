package com.hourlyanalytics.client.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.client.ScriptedApi;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against a scripted API: the lines it sends, the summary, the line numbers it names, the exit status. */
class SendCommandTest {

    private final ScriptedApi api;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path folder;

    SendCommandTest() throws Exception {
        api = new ScriptedApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private int send(String stdin, String... args) throws InterruptedException {
        return SendCommand.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true), new PrintStream(err, true));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyLineDelivered_exit0_idsKeptOrDerived() throws Exception {
        Path file = folder.resolve("events.csv");
        Files.writeString(file, "1700000000000,u1,click\n1700000000001,u2,impression,my-id\n");

        int status = send("", "--endpoint", api.endpoint().toString(), "--api-key", "k-secret", file.toString());

        assertThat(status).isZero();
        assertThat(out()).isEqualTo("send: 2 lines: 2 delivered, 0 rejected, 0 not delivered; 0 requests resent\n");
        assertThat(api.requests()).hasSize(1);
        assertThat(api.requests().get(0).lines()).hasSize(2).satisfies(lines -> {
            assertThat(lines.get(0)).matches("1700000000000,u1,click,line1-[0-9a-f]{32}");
            assertThat(lines.get(1)).isEqualTo("1700000000001,u2,impression,my-id");
        });
        assertThat(api.requests().get(0).apiKey).isEqualTo("k-secret");
        assertThat(out() + err()).doesNotContain("k-secret");
    }

    @Test
    void linesRejectedHereAndByTheService_namedByTheirLineInTheFile_exit1() throws Exception {
        // The request carries lines 1, 3 and 4 of the input; the service refuses its second line, the input's third.
        api.then(400, "line 2: user is longer than 256 UTF-8 bytes\n");

        int status = send("1700000000000,u1,click\nnot a line\n1700000000000,u3,click\n1700000000000,u4,click\n",
                "--endpoint", api.endpoint().toString(), "-");

        assertThat(status).isEqualTo(1);
        assertThat(out()).isEqualTo("send: 4 lines: 2 delivered, 2 rejected (lines 2, 3), 0 not delivered; 0 requests resent\n");
        assertThat(err()).contains("line 2: rejected: expected timestamp,user,event[,event_id]\n",
                "line 3: rejected (400): user is longer than 256 UTF-8 bytes\n");
        assertThat(api.requests().get(1).lines()).hasSize(2).allMatch(line -> line.contains(",u1,") || line.contains(",u4,"));
    }

    @Test
    void resentAfter503_sameIds_countedInTheSummary() throws Exception {
        api.then(503, "store unavailable, try again shortly\n");

        int status = send("1700000000000,u1,click\n", "--endpoint", api.endpoint().toString(), "-");

        assertThat(status).isZero();
        List<ScriptedApi.Request> requests = api.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).body).isEqualTo(requests.get(0).body);
        assertThat(out()).endsWith("; 1 requests resent\n");
    }

    @Test
    void usageErrors_exit2_withTheProblem() throws Exception {
        assertThat(send("", "--batch-size", "0", "-")).isEqualTo(2);
        assertThat(send("", folder.resolve("missing.csv").toString())).isEqualTo(2);
        assertThat(send("", "--endpoint", "nowhere", "-")).isEqualTo(2);

        assertThat(err()).contains("send: --batch-size must be 1 to 250, not 0", "send: no such file: ",
                "send: --endpoint must be an http or https URL, not nowhere");
    }
}
