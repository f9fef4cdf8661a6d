package com.hourlyanalytics.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** A phase's client threads: each on its own keep-alive connection to the service, a progress line every 2 s. */
public final class Clients {

    public interface Body<T> {
        /** @param api this client's own connection to the service (opened on first use; unused by a client of the store) */
        T run(int client, LoadApi api) throws Exception;
    }

    private Clients() {
    }

    /** Runs {@code clients} bodies on platform threads until all end; their results in client order. */
    public static <T> List<T> run(String phase, URI service, int clients, LongSupplier done, long total, Supplier<String> extra,
                                  Body<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (Progress progress = Progress.start(phase, done, total, extra)) {
            List<Future<T>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit((Callable<T>) () -> {
                    try (LoadApi api = new LoadApi(service)) {
                        return body.run(client, api);
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> client : running) {
                results.add(client.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
