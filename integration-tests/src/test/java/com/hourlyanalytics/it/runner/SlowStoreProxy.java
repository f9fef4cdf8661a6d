package com.hourlyanalytics.it.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;

/**
 * A TCP proxy in front of a store that can hold back each of the store's answers by a delay: a slow store, whose
 * calls still succeed (the delay stays under the store client's attempt timeout) but take longer.
 */
final class SlowStoreProxy implements AutoCloseable {

    private final ServerSocket server;
    private final URI target;
    private volatile long delayMillis;

    SlowStoreProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("slow-store-accept").start(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** Each chunk the store sends back waits this long from now on. */
    void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                Socket store = new Socket(target.getHost(), target.getPort());
                Thread.ofVirtual().start(() -> pump(client, store, false));
                Thread.ofVirtual().start(() -> pump(store, client, true));
            }
        } catch (IOException e) {
            // Closed.
        }
    }

    private void pump(Socket from, Socket to, boolean delayed) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (delayed && delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // One side closed.
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
