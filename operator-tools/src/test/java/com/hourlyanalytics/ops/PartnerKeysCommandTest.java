package com.hourlyanalytics.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.testing.ApiEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartnerKeysCommandTest {

    private static final String LINE = "        PARTNER_KEYS: ''";

    @TempDir
    Path folder;
    private Path template;
    private List<String> original;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A copy of the repository's template.yaml, whose PARTNER_KEYS line is the one the tests set. */
    @BeforeEach
    void copyTheTemplate() throws IOException {
        template = folder.resolve("template.yaml");
        original = Files.readAllLines(ApiEvents.repoRoot().resolve("template.yaml"));
        assertThat(original).as("the template's empty mapping").containsOnlyOnce(LINE);
        Files.write(template, original);
    }

    private void mapping(String text) throws IOException {
        Files.write(template, original.stream().map(line -> line.equals(LINE) ? "        PARTNER_KEYS: '" + text + "'  # rotations" : line).toList());
    }

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--template", template.toString()));
        return PartnerKeysCommand.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void check_theRepositorysTemplate_isValidAndFitsLambdasEnvironmentLimit() {
        assertThat(run("check")).as(err()).isZero();

        assertThat(out()).startsWith("PARTNER_KEYS: ''\nthe functions' environment: ").contains(" of 4096 bytes at most");
    }

    @Test
    void rotate_write_mapsTheNewKeyToThePartnerTheOldOneReaches_andChangesOnlyThatLine() throws IOException {
        mapping("k2=k1");
        List<String> before = Files.readAllLines(template);

        assertThat(run("rotate", "k2", "k3", "--write")).as(err()).isZero();

        assertThat(out()).startsWith("new key k3 reaches partner k1, as old key k2 does\nPARTNER_KEYS: 'k2=k1,k3=k1'\n");
        List<String> after = Files.readAllLines(template);
        List<Integer> changed = IntStream.range(0, before.size()).filter(i -> !before.get(i).equals(after.get(i))).boxed().toList();
        assertThat(after).hasSameSizeAs(before);
        assertThat(changed).singleElement().satisfies(i -> assertThat(after.get(i)).isEqualTo("        PARTNER_KEYS: 'k2=k1,k3=k1'"));
        assertThat(run("check")).isZero();
    }

    @Test
    void rotate_withoutWrite_changesNothing() throws IOException {
        mapping("k2=k1");
        String before = Files.readString(template);

        assertThat(run("rotate", "k1", "k3")).isZero();

        assertThat(out()).contains("PARTNER_KEYS: 'k2=k1,k3=k1'");
        assertThat(Files.readString(template)).isEqualTo(before);
    }

    /** The typo that would merge two partners: another partner's own key id given as the new key. */
    @Test
    void rotate_newKeyThatIsAPartnersOwnIdOrAlreadyMapped_isRefused_andNothingWritten() throws IOException {
        mapping("k2=k1,x2=x1");
        String before = Files.readString(template);

        assertThat(run("rotate", "x2", "k1", "--write")).isEqualTo(1);
        assertThat(run("rotate", "x1", "k2", "--write")).isEqualTo(1);

        assertThat(err()).contains("partner-keys: key id 'k1' is partner k1's own id (entries map to it), not a new key",
                "partner-keys: key id 'k2' already has an entry ('k2=k1')");
        assertThat(Files.readString(template)).isEqualTo(before);
    }

    @Test
    void check_aTemplateWithAChain_isRefusedAsTheFunctionsWouldAtStart() throws IOException {
        mapping("k2=k1,k3=k2");

        assertThat(run("check")).isEqualTo(1);
        assertThat(run("rotate", "k1", "k4", "--write")).isEqualTo(1);

        assertThat(err()).contains("partner-keys: the template's PARTNER_KEYS is refused, as the functions would at start: "
                + "'k3=k2' maps onto key id 'k2'");
    }

    @Test
    void rotate_pastLambdasEnvironmentLimit_isRefused_andNothingWritten() throws IOException {
        // 400 rotations of 10-character key ids: 8,799 bytes of mapping.
        mapping(IntStream.range(0, 400).mapToObj(i -> String.format("n%09d=p000000001", i)).collect(Collectors.joining(",")));
        String before = Files.readString(template);

        assertThat(run("rotate", "p000000001", "new0000001", "--write")).isEqualTo(1);

        assertThat(err()).contains("the functions' environment would be ").contains("bytes, over Lambda's 4096");
        assertThat(Files.readString(template)).isEqualTo(before);
    }

    @Test
    void wrongWords_areAUsageError() {
        assertThat(run("rotate", "k1")).isEqualTo(2);
        assertThat(run("check", "--write")).isEqualTo(2);
        assertThat(err()).contains("usage: ./partner-keys check");
    }
}
