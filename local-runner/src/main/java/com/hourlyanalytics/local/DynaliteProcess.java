package com.hourlyanalytics.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.MatchResult;

/**
 * A dynalite server in a child process ({@code emulator/dynalite-server.js}). The child watches its stdin,
 * which this process holds open, so it exits with us even when we are killed with SIGKILL.
 */
public final class DynaliteProcess implements AutoCloseable {

    private final Path repoRoot;
    private final Optional<Path> dataDir;
    private final Optional<Duration> requestedWindow;
    private volatile Process process;
    /** The process {@link #kill()} or {@link #close()} ended: its exit is no news. */
    private volatile Process stoppedOnPurpose;
    private volatile IntConsumer onUnexpectedExit = status -> { };
    private int port;
    private Duration transactionWindow;

    private DynaliteProcess(Path repoRoot, Optional<Path> dataDir, Optional<Duration> requestedWindow) {
        this.repoRoot = repoRoot;
        this.dataDir = dataDir;
        this.requestedWindow = requestedWindow;
    }

    /** Starts dynalite on {@code port} (0: a free one), in memory or, with a data folder, on disk; the default window. */
    public static DynaliteProcess start(Path repoRoot, Optional<Path> dataDir, int port) {
        return start(repoRoot, dataDir, port, Optional.empty());
    }

    /**
     * The same, with this transaction window: how long a transaction holds its items, so that what meets them
     * conflicts as in DynamoDB (docs/local-store.md). Empty: the emulator's default, {@value LocalStore#TRANSACTION_WINDOW_MS}
     * from the environment it inherits, else 25 ms. Zero: no conflicts.
     */
    public static DynaliteProcess start(Path repoRoot, Optional<Path> dataDir, int port, Optional<Duration> transactionWindow) {
        DynaliteProcess dynalite = new DynaliteProcess(repoRoot, dataDir, transactionWindow);
        dynalite.launch(port);
        return dynalite;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** How long a transaction holds its items in this emulator, as it reported when it started. */
    public Duration transactionWindow() {
        return transactionWindow;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts it again on the same port and data, as after a crash. */
    public void restart() {
        launch(port);
    }

    /**
     * Called, on a thread of its own, with the exit status each time the emulator exits other than by {@link #kill()}
     * or {@link #close()}: it crashed, or something outside killed it.
     */
    public void onUnexpectedExit(IntConsumer listener) {
        onUnexpectedExit = status -> Thread.ofPlatform().daemon().name("dynalite-exit").start(() -> listener.accept(status));
    }

    /** Ends it abruptly, as a crash would (but it is no news for {@link #onUnexpectedExit}). */
    public void kill() {
        stoppedOnPurpose = process;
        process.destroyForcibly();
        waitForExit();
    }

    /** Freezes it: connections are accepted by the kernel but never answered, like a stalled store. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stoppedOnPurpose = process;
            resume();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    waitForExit();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void launch(int requestedPort) {
        Path script = repoRoot.resolve("emulator/dynalite-server.js");
        if (!Files.isDirectory(repoRoot.resolve("node_modules/dynalite"))) {
            throw new IllegalStateException("dynalite is not installed under " + repoRoot
                    + "/node_modules: run 'npm ci' in the repository root (./run and ./test do this)");
        }
        List<String> command = new ArrayList<>(List.of(node(), script.toString(), "--port", Integer.toString(requestedPort)));
        dataDir.ifPresent(dir -> command.addAll(List.of("--path", dir.toAbsolutePath().toString())));
        requestedWindow.ifPresent(window -> command.addAll(List.of("--transaction-window-ms", Long.toString(window.toMillis()))));
        try {
            process = new ProcessBuilder(command)
                    .directory(repoRoot.toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start node; is Node.js installed?", e);
        }
        MatchResult ready = DynaliteOutput.awaitReady(process);
        port = Integer.parseInt(ready.group(1));
        transactionWindow = Duration.ofMillis(Long.parseLong(ready.group(2)));
        Process started = process;
        started.onExit().thenAccept(exited -> {
            if (exited != stoppedOnPurpose) {
                onUnexpectedExit.accept(exited.exitValue());
            }
        });
    }

    private void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitForExit() {
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String node() {
        String node = System.getenv("NODE");
        return node == null || node.isBlank() ? "node" : node;
    }
}
