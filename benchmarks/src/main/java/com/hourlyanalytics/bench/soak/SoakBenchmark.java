package com.hourlyanalytics.bench.soak;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.Progress;
import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A bounded soak of the local runner: a steady, paced, mixed load (80% POST with 95% of them on the hot hour,
 * 20% GET) for a fixed time, sampling memory as it goes: the JVM's heap after a full GC and its RSS, and the
 * emulator's RSS (from /proc). Then every hour's counts are checked against a model of what was acknowledged;
 * exit 1 on any mismatch. The runner and the load share this JVM; the load's own state is the model, bounded
 * by hours x users.
 *
 * <p>Options: see {@link #USAGE}.
 */
public final class SoakBenchmark {

    static final String USAGE = """
            usage: bench/soak.sh [--seconds 180] [--rate 100] [--clients 16] [--users 5000] [--hours 24] [--sample 15]
                                 [--warmup 30] [--data DIR]
            --rate is requests/s; --sample the seconds between memory samples; growth is measured from the first sample
            after --warmup seconds; --data keeps the emulator on disk in DIR instead of in memory.""";
    private static final Map<String, String> DEFAULTS = Map.of("seconds", "180", "rate", "100", "clients", "16",
            "users", "5000", "hours", "24", "sample", "15", "warmup", "30", "data", "");

    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

    private SoakBenchmark() {
    }

    record Sample(long atSeconds, long requests, double heapMb, double rssMb, double emulatorRssMb, long p50, long p99) {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parseOrExit(args, USAGE, DEFAULTS);
        int seconds = options.integer("seconds");
        int rate = options.integer("rate");
        int clients = options.integer("clients");
        int users = options.integer("users");
        int hours = options.integer("hours");
        int sampleSeconds = options.integer("sample");
        int warmupSeconds = options.integer("warmup");
        Optional<Path> data = options.optional("data").map(Path::of);
        long hotHour = System.currentTimeMillis() / 3_600_000L * 3_600_000L;
        System.out.printf("soak: %d s at %d req/s from %d clients, %d users over %d hours, emulator %s; %d cores%n",
                seconds, rate, clients, users, hours, data.map(d -> "on disk in " + d).orElse("in memory"),
                Runtime.getRuntime().availableProcessors());

        SoakModel model = new SoakModel();
        AtomicLong requests = new AtomicLong();
        Recorder latencies = Stats.recorder();
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, data, BenchArgs.repoRoot(), Map.of(),
                LocalApiServer.Limits.DEFAULT));
             HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build()) {
            long emulatorPid = runner.dynalite().orElseThrow().pid();
            URI base = runner.baseUri();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) * clients / rate;
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                long offset = intervalNanos * c / clients;
                threads.add(Thread.ofPlatform().name("soak-" + c).start(() -> {
                    long next = start + offset;
                    while (next < end) {
                        sleepUntil(next);
                        next += intervalNanos;
                        long sent = System.nanoTime();
                        model.request(http, base, hotHour, hours, users);
                        latencies.recordValue(System.nanoTime() - sent);
                        requests.incrementAndGet();
                    }
                }));
            }
            System.out.println("     t s | requests | heap after GC MB | JVM RSS MB | emulator RSS MB | p50 ms | p99 ms");
            List<Sample> samples = new ArrayList<>();
            try (Progress progress = Progress.start("soak", requests::get, (long) seconds * rate)) {
                for (long at = sampleSeconds; at < seconds; at += sampleSeconds) {
                    sleepUntil(start + TimeUnit.SECONDS.toNanos(at));
                    samples.add(sample(at, requests.get(), emulatorPid, latencies));
                }
                for (Thread thread : threads) {
                    thread.join();
                }
            }
            samples.add(sample(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), requests.get(), emulatorPid, latencies));
            // Growth is measured from the first sample after warm-up (JIT, pools, the first markers).
            Sample first = samples.stream().filter(s -> s.atSeconds() >= warmupSeconds).findFirst().orElse(samples.get(0));
            Sample last = samples.get(samples.size() - 1);
            long userHours = model.userHours();
            System.out.printf("growth from t=%d s to t=%d s: heap after GC %+.1f MB, JVM RSS %+.1f MB, emulator RSS %+.1f MB;"
                            + " %d requests, %d user-hour markers stored%n",
                    first.atSeconds(), last.atSeconds(), last.heapMb() - first.heapMb(), last.rssMb() - first.rssMb(),
                    last.emulatorRssMb() - first.emulatorRssMb(), last.requests(), userHours);
            int mismatches = model.check(http, base);
            long unsure = model.unsure();
            System.out.printf("exactness: %d hours checked, %d POSTs not acknowledged, %d failed GETs, %d mismatches -> %s%n",
                    model.hours(), unsure, model.failedGets(), mismatches, mismatches == 0 ? "OK" : "MISMATCH");
            if (mismatches > 0) {
                System.exit(1);
            }
        }
    }

    /** Memory now, and the latencies of the requests answered since the last sample. */
    private static Sample sample(long at, long requests, long emulatorPid, Recorder latencies) {
        Histogram window = latencies.getIntervalHistogram();
        System.gc();
        double heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1048576.0;
        Sample sample = new Sample(at, requests, heap, rssMb(ProcessHandle.current().pid()), rssMb(emulatorPid),
                (long) Stats.percentileMillis(window, 50), (long) Stats.percentileMillis(window, 99));
        System.out.printf("%8d | %8d | %16.1f | %10.1f | %15.1f | %6d | %6d%n", sample.atSeconds(), sample.requests(),
                sample.heapMb(), sample.rssMb(), sample.emulatorRssMb(), sample.p50(), sample.p99());
        return sample;
    }

    /** VmRSS from /proc/PID/status (Linux), in MB; -1 where there is no /proc. */
    private static double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
