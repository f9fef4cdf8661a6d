package com.hourlyanalytics.bench.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.LocalStore;
import com.hourlyanalytics.local.lambda.FunctionContainer;
import com.hourlyanalytics.local.lambda.InvocationOutcome;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import com.hourlyanalytics.local.template.ServerlessFunction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cold start through the real Lambda runtime client: per variant, RUNS fresh function containers (one JVM each,
 * started as {@code ./invoke} starts one: template.yaml's CodeUri jar, Handler and Environment, Lambda's JVM
 * flags and variables), timed from process start to the first response, with the process's CPU time (user +
 * sys, all threads) at that moment. The two functions run beside two do-nothing handlers on the same runtime
 * client and event, interleaved (one of each per round, the order rotating) so they share the machine's noise.
 * Options: {@link #USAGE}. {@code --extra} adds a variant per entry: the template's function Id from another build of
 * its jar (A/B a change). {@code --appcds true} adds each variant again on an application class-data archive
 * dumped from a training container of its own (jcmd VM.cds dynamic_dump after its first response).
 */
public final class ColdStartBenchmark {

    static final String USAGE = """
            usage: bench/cold-start.sh [--runs 5] [--java-tool-options "JVM flags for every container"] [--log FILE]
                                       [--extra IngestFunction=JAR,...] [--appcds true]""";

    /** @param event the event of the given round (ingest gets a new user each round: every run counts a new user) */
    private record Variant(String label, ServerlessFunction function, Map<String, String> variables,
                           IntFunction<byte[]> event, int expectedStatus) {

        /** The same variant with a JVM flag added to JAVA_TOOL_OPTIONS (which Lambda's JVM reads, as any JVM). */
        Variant withJvmFlag(String suffix, String flag) {
            Map<String, String> changed = new LinkedHashMap<>(variables);
            changed.merge(JAVA_TOOL_OPTIONS, flag, (options, added) -> options + " " + added);
            return new Variant(label + suffix, function, changed, event, expectedStatus);
        }
    }

    private static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INIT_DURATION = Pattern.compile("Init Duration: ([0-9.]+) ms");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parseOrExit(args, USAGE, Map.of("runs", "5", "java-tool-options", "", "log", "",
                "extra", "", "appcds", "false"));
        int runs = options.integer("runs");
        String javaToolOptions = options.get("java-tool-options");
        Optional<Path> logFile = options.optional("log").map(Path::of);
        Path root = BenchArgs.repoRoot();
        Map<String, ServerlessFunction> functions = ServerlessFunction.readAll(root.resolve("template.yaml"));
        LambdaJavaRuntime runtime = LambdaJavaRuntime.locate(root);
        Path jars = Files.createTempDirectory("cold-start-baselines");
        jars.toFile().deleteOnExit();

        try (LocalStore store = LocalStore.open(root, Optional.empty(), Map.of(), List.of())) {
            ServerlessFunction ingest = functions.get("IngestFunction");
            ServerlessFunction query = functions.get("QueryFunction");
            Map<String, String> ingestVariables = variables(ingest, store, javaToolOptions);
            byte[] getHour = Files.readAllBytes(root.resolve("events/get-hour.json"));
            byte[] postClick = Files.readAllBytes(root.resolve("events/post-click.json"));
            Variant ingestVariant = new Variant("IngestFunction", ingest, ingestVariables,
                    round -> withUser(postClick, "cold-start-" + round), 204);
            Variant queryVariant = new Variant("QueryFunction", query, variables(query, store, javaToolOptions), round -> getHour, 200);
            List<Variant> variants = new ArrayList<>(List.of(ingestVariant, queryVariant,
                    new Variant(ColdStartTable.STREAM_BASELINE, baseline(ingest, BaselineJars.stream(jars), DoNothingStreamHandler.class),
                            ingestVariables, round -> getHour, 200),
                    new Variant(ColdStartTable.PROXY_BASELINE, baseline(ingest, BaselineJars.proxy(jars), DoNothingProxyHandler.class),
                            ingestVariables, round -> getHour, 200)));
            for (String extra : options.get("extra").split(",")) {
                if (!extra.isBlank()) {
                    String[] idAndJar = extra.split("=", 2);
                    Variant like = idAndJar[0].equals(ingest.logicalId()) ? ingestVariant : queryVariant;
                    ServerlessFunction function = like.function();
                    Path jar = Path.of(idAndJar[1]).toAbsolutePath();
                    variants.add(new Variant(function.logicalId() + " @ " + jar.getFileName(), new ServerlessFunction(
                            function.logicalId(), jar, function.handler(), function.timeoutSeconds(), function.memoryMb(),
                            function.environment()), like.variables(), like.event(), like.expectedStatus()));
                }
            }

            if (Boolean.parseBoolean(options.get("appcds"))) {
                for (Variant variant : List.copyOf(variants)) {
                    Path archive = jars.resolve("appcds-" + variants.indexOf(variant) + ".jsa");
                    archive.toFile().deleteOnExit();
                    System.out.println("AppCDS: training container for " + variant.label());
                    coldStart(variant.withJvmFlag("", "-XX:+RecordDynamicDumpInfo"), 0, runtime, logFile, jvm -> dumpArchive(jvm, archive));
                    variants.add(variant.withJvmFlag(ColdStartTable.APPCDS, "-XX:SharedArchiveFile=" + archive));
                }
            }

            Map<String, List<ColdStartTable.Run>> results = new LinkedHashMap<>();
            variants.forEach(variant -> results.put(variant.label(), new ArrayList<>()));
            System.out.printf("%d rounds of %d cold starts (one fresh container per variant per round, order rotating)%n",
                    runs, variants.size());
            for (int round = 1; round <= runs; round++) {
                for (int i = 0; i < variants.size(); i++) {
                    Variant variant = variants.get((i + round - 1) % variants.size());
                    ColdStartTable.Run run = coldStart(variant, round, runtime, logFile, jvm -> { });
                    results.get(variant.label()).add(run);
                    System.out.printf(Locale.ROOT, "round %d/%d %-52s wall %7.1f ms  init %7.1f ms  cpu %7.1f ms%n",
                            round, runs, variant.label(), run.wallMs(), run.initMs(), run.cpuMs());
                }
            }
            ColdStartTable.print(results, runs);
        }
    }

    /** The function's variables as ./invoke gives them: template.yaml's, this store's table, endpoint and local key. */
    private static Map<String, String> variables(ServerlessFunction function, LocalStore store, String javaToolOptions) {
        Map<String, String> variables = store.functionVariables(function.environment());
        if (!javaToolOptions.isBlank()) {
            variables.put(JAVA_TOOL_OPTIONS, javaToolOptions);
        }
        return variables;
    }

    /** A do-nothing function with the settings of {@code like}, from its own jar. */
    private static ServerlessFunction baseline(ServerlessFunction like, Path jar, Class<?> handler) {
        return new ServerlessFunction(handler.getSimpleName(), jar, handler.getName() + "::handleRequest",
                like.timeoutSeconds(), like.memoryMb(), like.environment());
    }

    private static byte[] withUser(byte[] event, String user) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(event);
            ((ObjectNode) json.get("queryStringParameters")).put("user", user);
            ((ObjectNode) json.get("multiValueQueryStringParameters")).putArray("user").add(user);
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One container: process start to the first response, then the process's CPU time while it still runs, then
     * {@code afterResponse} on the container's JVM.
     */
    private static ColdStartTable.Run coldStart(Variant variant, int round, LambdaJavaRuntime runtime, Optional<Path> logFile,
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
                    || JSON.readTree(payload).path("statusCode").asInt() != variant.expectedStatus()) {
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
    private static void dumpArchive(ProcessHandle jvm, Path archive) {
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
