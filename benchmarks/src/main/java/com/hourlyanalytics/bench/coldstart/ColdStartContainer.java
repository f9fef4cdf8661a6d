package com.hourlyanalytics.bench.coldstart;

import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.lambda.FunctionContainer;
import com.hourlyanalytics.local.lambda.InvocationOutcome;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One measured cold start: a fresh container of a variant, from process start to its first response. */
final class ColdStartContainer {

    private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([0-9.]+) ms");

    private ColdStartContainer() {
    }

    /**
     * Process start to the first response, then the process's CPU time while it still runs, then
     * {@code afterResponse} on the container's JVM; the container's output goes to {@code logFile} if given.
     */
    static ColdStartTable.Run run(Variant variant, int round, LambdaJavaRuntime runtime, Optional<Path> logFile,
                                  Consumer<ProcessHandle> afterResponse) throws IOException {
        var log = new ByteArrayOutputStream();
        Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        long start = System.nanoTime();
        try (PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
             FunctionContainer container = FunctionContainer.start(variant.function(), variant.variables(), runtime,
                     variant.function().logicalId(), logStream)) {
            InvocationOutcome outcome = container.invoke(variant.event().apply(round));
            long wall = System.nanoTime() - start;
            ProcessHandle jvm = ProcessHandle.current().children()
                    .filter(child -> !before.contains(child.pid()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("cannot find the container's process"));
            Duration cpu = jvm.info().totalCpuDuration()
                    .orElseThrow(() -> new IllegalStateException("cannot read the container's CPU time"));
            String payload = new String(outcome.payload(), StandardCharsets.UTF_8);
            if (!(outcome instanceof InvocationOutcome.Response)
                    || Variant.JSON.readTree(payload).path("statusCode").asInt() != variant.expectedStatus()) {
                throw new IllegalStateException(variant.label() + " answered " + payload + "\n" + log);
            }
            afterResponse.accept(jvm);
            container.close();
            String output = log.toString(StandardCharsets.UTF_8);
            if (logFile.isPresent()) {
                Files.writeString(logFile.get(), "=== round " + round + " " + variant.label() + "\n" + output,
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            Matcher init = INIT_DURATION.matcher(output);
            return new ColdStartTable.Run(Stats.millis(wall), init.find() ? Double.parseDouble(init.group(1)) : Double.NaN,
                    cpu.toNanos() / 1e6);
        }
    }

    /** The JVM's loaded classes as a dynamic CDS archive (the JVM runs with -XX:+RecordDynamicDumpInfo). */
    static void dumpArchive(ProcessHandle jvm, Path archive) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process process = new ProcessBuilder(jcmd, Long.toString(jvm.pid()), "VM.cds", "dynamic_dump", archive.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0 || !Files.isRegularFile(archive)) {
                throw new IllegalStateException("jcmd could not dump " + archive + ":\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
