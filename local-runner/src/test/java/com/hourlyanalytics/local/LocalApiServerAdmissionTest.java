package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyRequests;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The runner's admission control with handlers the test holds busy: past maxConcurrent running and maxQueued
 * waiting it answers 503 "server busy" at once, a queued request gets a slot when one frees, and one that
 * waits longer than queueWait is shed; the admitted requests still complete.
 */
class LocalApiServerAdmissionTest {

    private static final String BUSY = "server busy, try again shortly\n";

    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore entered = new Semaphore(0);
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private LocalApiServer server;
    private HttpApi api;

    private void start(LocalApiServer.Limits limits) throws Exception {
        Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> held = event -> {
            entered.release();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponses.noContent();
        };
        server = new LocalApiServer(0, List.of(ProxyRequests.ANALYTICS), limits, held, held);
        api = new HttpApi(URI.create("http://127.0.0.1:" + server.port()));
    }

    @AfterEach
    void stop() {
        release.countDown();
        clients.shutdownNow();
        server.close();
    }

    private CompletableFuture<HttpResponse<String>> post() {
        return CompletableFuture.supplyAsync(() -> api.send("POST", "/analytics?timestamp=1&user=u&event=click"), clients);
    }

    @Test
    void pastMaxConcurrent_withNoQueue_shedsEveryExtraRequestWhileAdmittedOnesRun() throws Exception {
        start(new LocalApiServer.Limits(2, 0, 0));
        List<CompletableFuture<HttpResponse<String>>> admitted = List.of(post(), post());
        entered.acquire(2);

        List<HttpResponse<String>> extra = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            extra.add(post().get());
        }

        assertThat(extra).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo(BUSY);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        });
        assertThat(admitted).noneMatch(CompletableFuture::isDone);
        release.countDown();
        for (var response : admitted) {
            assertThat(response.get().statusCode()).isEqualTo(204);
        }
    }

    @Test
    void fullQueue_shedsTheNewcomer_andTheQueuedRequestRunsWhenASlotFrees() throws Exception {
        start(new LocalApiServer.Limits(1, 1, 60_000));
        var running = post();
        entered.acquire();
        var second = post();
        var third = post();

        // One of the two takes the only queue place; the other is shed while the first still runs.
        var shed = (HttpResponse<String>) CompletableFuture.anyOf(second, third).get();
        assertThat(shed.statusCode()).isEqualTo(503);
        assertThat(shed.body()).isEqualTo(BUSY);
        assertThat(running).isNotDone();

        release.countDown();
        assertThat(running.get().statusCode()).isEqualTo(204);
        var queued = second.get() == shed ? third : second;
        assertThat(queued.get().statusCode()).isEqualTo(204);
    }

    @Test
    void queuedLongerThanQueueWait_isShed_whileTheRunningRequestContinues() throws Exception {
        start(new LocalApiServer.Limits(1, 4, 50));
        var running = post();
        entered.acquire();

        HttpResponse<String> waited = post().get();

        assertThat(waited.statusCode()).isEqualTo(503);
        assertThat(waited.body()).isEqualTo(BUSY);
        assertThat(running).isNotDone();
        release.countDown();
        assertThat(running.get().statusCode()).isEqualTo(204);
    }
}
