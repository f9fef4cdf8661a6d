package com.hourlyanalytics.it.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalStore;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The emulator survives what the store client does under load: abandoning a request half sent; and it runs with the
 * transaction window it is given.
 */
class DynaliteProcessIT {

    @Test
    void transactionWindow_givenOrDefault_reportedByTheEmulatorItself() {
        try (DynaliteProcess given = Emulator.start(Duration.ofMillis(40)); DynaliteProcess off = Emulator.start(Duration.ZERO)) {
            assertThat(given.transactionWindow()).isEqualTo(Duration.ofMillis(40));
            assertThat(off.transactionWindow()).isZero();
        }
        try (DynaliteProcess byDefault = Emulator.start()) {
            assertThat(byDefault.transactionWindow()).isEqualTo(LocalStore.transactionWindow(System.getenv()).orElse(Duration.ofMillis(25)));
        }
    }

    @Test
    void clientGoneMidRequest_emulatorKeepsServing() throws Exception {
        try (DynaliteProcess dynalite = Emulator.start()) {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", dynalite.port())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                            + "X-Amz-Target: DynamoDB_20120810.ListTables\r\nContent-Length: 100\r\n\r\n{\"Li")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.setSoLinger(true, 0); // reset, as an aborted HTTP connection does
                }
            }
            Thread.sleep(200); // let it see the resets

            assertThat(dynalite.isAlive()).isTrue();
            try (DynamoDbClient client = Emulator.client(dynalite)) {
                assertThat(client.listTables().tableNames()).isEmpty();
            }
        }
    }
}
