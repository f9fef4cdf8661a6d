package com.hourlyanalytics.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * What {@code ./run} does when its own dynalite dies under it (a crash, or killed from outside), in one line each.
 * With {@code --data DIR} it starts it again on the same port and data: the counts are kept and the API goes on at the
 * same URL. In memory the counts are gone, and the functions' caches of users already counted (MARKER_CACHE_ENTRIES)
 * would no longer match an empty store, so a restarted emulator would undercount unique users: the runner stops with
 * status 1 instead, to be run again. It stops too if the emulator does not start again, or dies again soon after.
 */
final class EmulatorRestarts {

    /** Ctrl-C reaches the emulator too (one process group): the runner's own stop must not be taken for a crash. */
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Dying again this soon after a restart is a crash loop. */
    static final Duration CRASH_LOOP = Duration.ofSeconds(10);

    private final LocalStore store;
    private final Optional<Path> dataDir;
    private final PrintStream log;
    private final IntConsumer exit;
    private volatile boolean stopping;
    private long restartedAt;
    private boolean restarted;

    private EmulatorRestarts(LocalStore store, Optional<Path> dataDir, PrintStream log, IntConsumer exit) {
        this.store = store;
        this.dataDir = dataDir;
        this.log = log;
        this.exit = exit;
    }

    /** Watches the store's own dynalite, if it has one; {@code exit} ends the runner with a status. */
    static EmulatorRestarts watch(LocalStore store, Optional<Path> dataDir, PrintStream log, IntConsumer exit) {
        EmulatorRestarts restarts = new EmulatorRestarts(store, dataDir, log, exit);
        store.dynalite().ifPresent(dynalite -> dynalite.onUnexpectedExit(restarts::exited));
        return restarts;
    }

    /** The runner is stopping: an exit from now on is its doing. */
    void stop() {
        stopping = true;
    }

    private synchronized void exited(int status) {
        try {
            Thread.sleep(GRACE);
        } catch (InterruptedException e) {
            return;
        }
        if (stopping) {
            return;
        }
        DynaliteProcess dynalite = store.dynalite().orElseThrow();
        String died = "./run: dynalite, the runner's store (pid " + dynalite.pid() + "), exited unexpectedly (status " + status + ")";
        if (dataDir.isEmpty()) {
            log.println(died + ": the counts it held in memory are gone; stopping (run ./run again; with --data DIR it would"
                    + " have been restarted)");
            exit.accept(1);
            return;
        }
        if (restarted && System.nanoTime() - restartedAt < CRASH_LOOP.toNanos()) {
            log.println(died + ", again within " + CRASH_LOOP.toSeconds() + " s of its restart; stopping");
            exit.accept(1);
            return;
        }
        try {
            dynalite.restart();
        } catch (RuntimeException e) {
            log.println(died + " and did not start again (" + summary(e.getMessage()) + "); stopping");
            exit.accept(1);
            return;
        }
        restarted = true;
        restartedAt = System.nanoTime();
        log.println(died + "; started again on " + dynalite.endpoint() + " with its data in " + dataDir.get().toAbsolutePath()
                + ": the counts are kept");
    }

    /** The line of a failed start that names the error (node prints a stack under it), else its first. */
    private static String summary(String message) {
        String text = message == null ? "no message" : message;
        return text.lines().filter(line -> line.contains("Error")).findFirst()
                .orElse(text.lines().findFirst().orElse(text)).strip();
    }
}
