package com.hourlyanalytics.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Runtime API's side of a delivery the runtime walks away from. */
class RuntimeApiTest {

    @Test
    void runtimeDropsTheConnectionMidEvent_invocationEndsWithAnError() throws Exception {
        try (RuntimeApi api = new RuntimeApi("IngestFunction")) {
            // Far larger than loopback socket buffers, so the write is still going when the runtime resets.
            var invocation = api.submit("request-1", new byte[64 << 20], 3000);
            String[] hostPort = api.address().split(":");
            try (Socket runtime = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                OutputStream out = runtime.getOutputStream();
                out.write("GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                runtime.getInputStream().read(); // the delivery has begun
                runtime.setSoLinger(true, 0); // close with a reset, as a crashed client's kernel does
            }

            // Bounded only so that a regression fails instead of hanging; the fix answers in milliseconds.
            var outcome = invocation.outcome().get(20, TimeUnit.SECONDS);

            assertThat(invocation.delivered()).isDone();
            assertThat(outcome).isInstanceOf(InvocationOutcome.Error.class);
            assertThat(new String(outcome.payload(), StandardCharsets.UTF_8)).contains("Runtime.EventDeliveryFailed", "request-1");
        }
    }
}
