package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.LocalRunnerFixture;
import com.hourlyanalytics.local.LocalRunner;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dead or frozen store gives 503 promptly (one line, Retry-After, no stack trace), and the service recovers by
 * itself when the store is back. One runner for the class; each test has its own hour.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoreOutageIT {

    private static final String UNAVAILABLE = "store unavailable, try again shortly\n";

    @RegisterExtension
    final LocalRunnerFixture runner = LocalRunnerFixture.in(mode()).onDisk().withContainers(1);

    /** Where the handlers run; a subclass overrides it to run every test here in the other mode. */
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.IN_PROCESS;
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
        long h = runner.freshHour();
        assertThat(runner.api().post(h, "before", "click").statusCode()).isEqualTo(204);

        runner.dynalite().kill();
        long start = System.nanoTime();
        HttpResponse<String> post = runner.api().post(h, "during", "click");
        printElapsed("POST with store killed", start);
        start = System.nanoTime();
        HttpResponse<String> get = runner.api().get(h);
        printElapsed("GET with store killed", start);

        assertUnavailable(post);
        assertUnavailable(get);

        runner.dynalite().restart();
        assertThat(runner.api().post(h, "after", "impression").statusCode()).isEqualTo(204);
        // The refused POST never reached the store; the data on disk survived the crash.
        assertThat(runner.api().counts(h)).isEqualTo("2,1,1");
    }

    @Test
    void storeFrozen_requestsAnswer503_thenRecoverWhenResumed() throws Exception {
        long h = runner.freshHour();
        assertThat(runner.api().post(h, "before", "click").statusCode()).isEqualTo(204);

        runner.dynalite().pause();
        long start = System.nanoTime();
        HttpResponse<String> get = runner.api().get(h);
        printElapsed("GET with store frozen", start);
        runner.dynalite().resume();

        assertUnavailable(get);
        assertThat(runner.api().counts(h)).isEqualTo("1,1,0");
        assertThat(runner.api().post(h, "after", "click").statusCode()).isEqualTo(204);
        assertThat(runner.api().counts(h)).isEqualTo("2,2,0");
        assertThat(Files.list(runner.dataDir())).isNotEmpty();
    }
}
