package com.hourlyanalytics.it.store;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.testing.RecordingInterceptor;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * For store tests that assert the exact requests sent: one dynalite and one recording client per test class,
 * and for each test a fresh table, after whose creation the recording starts empty.
 */
final class RecordedEmulator implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final RecordingInterceptor sent = new RecordingInterceptor();
    private DynaliteProcess dynalite;
    private DynamoDbClient client;
    private String table;

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
