package com.hourlyanalytics.local.httpserver;

import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A {@code com.sun.net.httpserver} server on 127.0.0.1 run by Jetty (jetty-http-spi), not by the JDK's own server,
 * whose status lines have no reason phrase for codes it does not know: {@code HTTP/1.1 422 }, {@code HTTP/1.1 429 }.
 * Made explicitly, not through {@code HttpServer.create} (Jetty's jar registers itself as the JVM's provider, which
 * the Runtime API's server, on the JDK's, declines). Handlers run on the given executor's (virtual) threads, so a request
 * may block while it waits for its answer.
 */
public final class LoopbackHttpServer {

    private final Server jetty;
    private final JettyHttpServer server;

    private LoopbackHttpServer(Server jetty, JettyHttpServer server) {
        this.jetty = jetty;
        this.server = server;
    }

    /** Serves {@code path} and below on {@code port} (0: a free one); a port in use throws {@link java.net.BindException}. */
    public static LoopbackHttpServer start(int port, int backlog, String path, HttpHandler handler, Executor virtualThreads)
            throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(virtualThreads);
        Server jetty = new Server(threads);
        jetty.setHandler(new ContextHandlerCollection());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false); // API Gateway names no server; nor did the JDK's
        JettyHttpServer server = new JettyHttpServer(jetty, false, http);
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
            server.createContext(path, handler);
            server.start();
        } catch (IOException | RuntimeException e) {
            server.stop(0);
            Optional<BindException> inUse = bindFailure(e);
            if (inUse.isPresent()) {
                throw inUse.get();
            }
            throw e;
        }
        return new LoopbackHttpServer(jetty, server);
    }

    /** The JDK's BindException under Jetty's wrappers ("Failed to bind to ..."), for the caller to name the port. */
    private static Optional<BindException> bindFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(bind);
            }
        }
        return Optional.empty();
    }

    /** The port it listens on (the one given, or the free one it got). */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Stops it, giving running exchanges up to {@code delaySeconds} to end. */
    public void stop(int delaySeconds) {
        server.stop(delaySeconds);
    }
}
