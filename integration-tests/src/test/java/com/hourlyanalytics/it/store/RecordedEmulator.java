package com.hourlyanalytics.it.store;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.testing.RecordingInterceptor;
import com.hourlyanalytics.testing.TestStores;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * For store tests that assert the exact requests sent: one dynalite and one recording client per test class,
 * and for each test a fresh table, after whose creation the recording starts empty. The table has the local
 * pseudonym key's record, as its first writer leaves it (TestStores.recordLocalKey), unless {@link #withoutKeyRecord}.
 */
final class RecordedEmulator implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final RecordingInterceptor sent = new RecordingInterceptor();
    private final boolean keyRecord;
    private DynaliteProcess dynalite;
    private DynamoDbClient client;
    private String table;

    RecordedEmulator() {
        this(true);
    }

    private RecordedEmulator(boolean keyRecord) {
        this.keyRecord = keyRecord;
    }

    /** Tables as a new stack, or one upgraded from clear ids, finds them: no pseudonym key recorded yet. */
    static RecordedEmulator withoutKeyRecord() {
        return new RecordedEmulator(false);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        dynalite = Emulator.start();
        client = Emulator.client(dynalite, sent);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        client.close();
        dynalite.close();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        table = Emulator.newTable(client);
        if (keyRecord) {
            TestStores.recordLocalKey(client, table);
        }
        sent.clear();
    }

    DynaliteProcess dynalite() {
        return dynalite;
    }

    DynamoDbClient client() {
        return client;
    }

    RecordingInterceptor sent() {
        return sent;
    }

    /** This test's own table. */
    String table() {
        return table;
    }
}
