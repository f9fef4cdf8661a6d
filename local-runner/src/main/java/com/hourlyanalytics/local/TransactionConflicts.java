package com.hourlyanalytics.local;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The emulator's count of transaction conflicts: requests rejected or cancelled by one since it started, by operation
 * (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems, TransactGetItems; all tables together, as the
 * table's TransactionConflict metric counts them), and TransactionInProgress for resent tokens; docs/local-store.md.
 * For benchmarks, of the runner's own dynalite or of one you run.
 */
public final class TransactionConflicts {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() { };

    private TransactionConflicts() {
    }

    /** The counts of the emulator at this endpoint ({@code GET /transaction-conflicts}); an operation never met is absent. */
    public static Map<String, Long> of(URI endpoint) {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/transaction-conflicts")).timeout(Duration.ofSeconds(10)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(endpoint + " answered " + response.statusCode() + ": is it the project's emulator?");
            }
            return JSON.readValue(response.body(), COUNTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the conflict counts", e);
        }
    }
}
