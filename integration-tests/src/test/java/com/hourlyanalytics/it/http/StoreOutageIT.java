package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.HttpApi;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead or frozen store gives 503 promptly (one line, Retry-After, no stack trace), and the service recovers by
 * itself when the store is back. One runner for the class; each test has its own hour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreOutageIT {

    private static final String UNAVAILABLE = "store unavailable, try again shortly\n";

    /** Static: JUnit fills instance @TempDir fields only per test, after a per-class @BeforeAll. */
    @TempDir
    static Path data;
    private LocalRunner runner;
    private DynaliteProcess dynalite;
    private HttpApi api;

    /** Where the handlers run; a subclass overrides it to run every test here in the other mode. */
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.IN_PROCESS;
    }

    @BeforeAll
    void start() throws IOException {
        runner = Emulator.runner(Optional.of(data), mode());
        dynalite = runner.dynalite().orElseThrow();
        api = new HttpApi(runner.baseUri());
    }

    @AfterAll
    void stop() {
        runner.close();
    }

    private static void printElapsed(String what, long startNanos) {
        System.out.printf("%s answered in %d ms%n", what, Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }

    private static void assertUnavailable(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(response.body()).isEqualTo(UNAVAILABLE);
    }

    @Test
    void storeKilled_requestsAnswer503_thenRecoverWhenRestarted() {
        long h = 1709287200000L;
        assertThat(api.post(h, "before", "click").statusCode()).isEqualTo(204);

        dynalite.kill();
        long start = System.nanoTime();
        HttpResponse<String> post = api.post(h, "during", "click");
        printElapsed("POST with store killed", start);
        start = System.nanoTime();
        HttpResponse<String> get = api.get(h);
        printElapsed("GET with store killed", start);

        assertUnavailable(post);
        assertUnavailable(get);

        dynalite.restart();
        assertThat(api.post(h, "after", "impression").statusCode()).isEqualTo(204);
        // The refused POST never reached the store; the data on disk survived the crash.
        assertThat(api.counts(h)).isEqualTo("2,1,1");
    }

    @Test
    void storeFrozen_requestsAnswer503_thenRecoverWhenResumed() throws Exception {
        long h = 1709290800000L;
        assertThat(api.post(h, "before", "click").statusCode()).isEqualTo(204);

        dynalite.pause();
        long start = System.nanoTime();
        HttpResponse<String> get = api.get(h);
        printElapsed("GET with store frozen", start);
        dynalite.resume();

        assertUnavailable(get);
        assertThat(api.counts(h)).isEqualTo("1,1,0");
        assertThat(api.post(h, "after", "click").statusCode()).isEqualTo(204);
        assertThat(api.counts(h)).isEqualTo("2,2,0");
        assertThat(Files.list(data)).isNotEmpty();
    }
}
