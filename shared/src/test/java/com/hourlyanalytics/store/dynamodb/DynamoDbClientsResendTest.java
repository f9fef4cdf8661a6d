package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.testing.TestStores;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The built client against a store that reads a write and then drops the connection unanswered, so the write
 * may have been applied: sending it again could count twice. The client must fail it, not resend it.
 */
class DynamoDbClientsResendTest {

    @Test
    void write_connectionDroppedAfterRequest_isSentOnceAndFails() throws Exception {
        AtomicInteger received = new AtomicInteger();
        Thread store;
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            store = Thread.ofPlatform().daemon().start(() -> dropEveryRequest(server, received));
            var settings = TestStores.firstReleaseSettings("t", "us-east-1", Optional.of(URI.create("http://127.0.0.1:" + server.getLocalPort())));
            try (DynamoDbClient client = DynamoDbClients.create(settings, List.of())) {

                assertThatThrownBy(() -> client.updateItem(b -> b.tableName("t")
                        .key(Map.of("pk", AttributeValue.fromS("hour#1")))
                        .updateExpression("ADD clicks :clicks")
                        .expressionAttributeValues(Map.of(":clicks", AttributeValue.fromN("1")))))
                        .isInstanceOf(SdkException.class);
            }
        }
        // On a busy machine the attempt may time out before the store has read the request: count what it read.
        store.join(Duration.ofSeconds(10));
        assertThat(received).hasValue(1);
    }

    /** Reads each request's head and body, then closes the connection without a byte of answer. */
    private static void dropEveryRequest(ServerSocket server, AtomicInteger received) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
                long length = 0;
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring("content-length:".length()).strip());
                    }
                }
                in.skip(length);
                received.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
