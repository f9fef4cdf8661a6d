package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dead or frozen store gives 503 promptly, and the service recovers by itself when the store is back. */
class StoreOutageIT {

    private static final long H = 1709287200000L;

    @TempDir
    Path data;
    private LocalRunner runner;
    private DynaliteProcess dynalite;
    private HttpApi api;

    @BeforeEach
    void start() throws Exception {
        runner = Emulator.runner(Optional.of(data));
        dynalite = runner.dynalite().orElseThrow();
        api = new HttpApi(runner.baseUri());
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    private static void printElapsed(String what, long startNanos) {
        System.out.printf("%s answered in %d ms%n", what, Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }

    @Test
    void storeKilled_requestsAnswer503_thenRecoverWhenRestarted() {
        assertThat(api.post(H, "before", "click").statusCode()).isEqualTo(204);

        dynalite.kill();
        long start = System.nanoTime();
        HttpResponse<String> post = api.post(H, "during", "click");
        printElapsed("POST with store killed", start);
        start = System.nanoTime();
        HttpResponse<String> get = api.get(H);
        printElapsed("GET with store killed", start);

        assertThat(post.statusCode()).isEqualTo(503);
        assertThat(post.body()).isEqualTo("store unavailable, try again shortly\n");
        assertThat(get.statusCode()).isEqualTo(503);

        dynalite.restart();
        assertThat(api.post(H, "after", "impression").statusCode()).isEqualTo(204);
        // The refused POST never reached the store; the data on disk survived the crash.
        assertThat(api.counts(H)).isEqualTo("2,1,1");
    }

    @Test
    void storeFrozen_requestsAnswer503_thenRecoverWhenResumed() throws Exception {
        assertThat(api.post(H, "before", "click").statusCode()).isEqualTo(204);

        dynalite.pause();
        long start = System.nanoTime();
        HttpResponse<String> get = api.get(H);
        printElapsed("GET with store frozen", start);
        dynalite.resume();

        assertThat(get.statusCode()).isEqualTo(503);
        assertThat(api.counts(H)).isEqualTo("1,1,0");
        assertThat(api.post(H, "after", "click").statusCode()).isEqualTo(204);
        assertThat(api.counts(H)).isEqualTo("2,2,0");
        assertThat(Files.list(data)).isNotEmpty();
    }
}
