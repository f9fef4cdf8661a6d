package com.hourlyanalytics.bench.coldstart;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.local.LocalStore;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import com.hourlyanalytics.local.template.ServerlessFunction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
            byte[] getHour = Files.readAllBytes(root.resolve("events/get-hour.json"));
            byte[] postClick = Files.readAllBytes(root.resolve("events/post-click.json"));
            Variant ingestVariant = new Variant("IngestFunction", ingest, Variant.variables(ingest, store, javaToolOptions),
                    round -> Variant.withUser(postClick, "cold-start-" + round), 204);
            Variant queryVariant = new Variant("QueryFunction", query, Variant.variables(query, store, javaToolOptions),
                    round -> getHour, 200);
            List<Variant> variants = new ArrayList<>(List.of(ingestVariant, queryVariant,
                    Variant.baseline(ColdStartTable.STREAM_BASELINE, ingestVariant, BaselineJars.stream(jars), DoNothingStreamHandler.class, getHour),
                    Variant.baseline(ColdStartTable.PROXY_BASELINE, ingestVariant, BaselineJars.proxy(jars), DoNothingProxyHandler.class, getHour)));
            for (String extra : options.get("extra").split(",")) {
                if (!extra.isBlank()) {
                    String[] idAndJar = extra.split("=", 2);
                    Variant like = idAndJar[0].equals(ingest.logicalId()) ? ingestVariant : queryVariant;
                    variants.add(Variant.otherJar(like, Path.of(idAndJar[1]).toAbsolutePath()));
                }
            }
            if (Boolean.parseBoolean(options.get("appcds"))) {
                for (Variant variant : List.copyOf(variants)) {
                    Path archive = jars.resolve("appcds-" + variants.indexOf(variant) + ".jsa");
                    archive.toFile().deleteOnExit();
                    System.out.println("AppCDS: training container for " + variant.label());
                    ColdStartContainer.run(variant.withJvmFlag("", "-XX:+RecordDynamicDumpInfo"), 0, runtime, logFile,
                            jvm -> ColdStartContainer.dumpArchive(jvm, archive));
                    variants.add(variant.withJvmFlag(ColdStartTable.APPCDS, "-XX:SharedArchiveFile=" + archive));
                }
            }
            ColdStartTable.print(rounds(variants, runs, runtime, logFile), runs);
        }
    }

    /** {@code runs} rounds of one fresh container per variant, the order rotating; each variant's runs by label. */
    private static Map<String, List<ColdStartTable.Run>> rounds(List<Variant> variants, int runs, LambdaJavaRuntime runtime,
                                                                Optional<Path> logFile) throws Exception {
        Map<String, List<ColdStartTable.Run>> results = new LinkedHashMap<>();
        variants.forEach(variant -> results.put(variant.label(), new ArrayList<>()));
        System.out.printf("%d rounds of %d cold starts (one fresh container per variant per round, order rotating)%n",
                runs, variants.size());
        for (int round = 1; round <= runs; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant variant = variants.get((i + round - 1) % variants.size());
                ColdStartTable.Run run = ColdStartContainer.run(variant, round, runtime, logFile, jvm -> { });
                results.get(variant.label()).add(run);
                System.out.printf(Locale.ROOT, "round %d/%d %-52s wall %7.1f ms  init %7.1f ms  cpu %7.1f ms%n",
                        round, runs, variant.label(), run.wallMs(), run.initMs(), run.cpuMs());
            }
        }
        return results;
    }
}
