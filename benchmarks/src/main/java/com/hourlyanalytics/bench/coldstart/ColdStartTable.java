package com.hourlyanalytics.bench.coldstart;

import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.lambda.LambdaJavaRuntime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The cold-start benchmark's table: per variant the medians of its runs, and ratios to the do-nothing baselines. */
final class ColdStartTable {

    static final String APPCDS = " +AppCDS";
    static final String STREAM_BASELINE = "do-nothing RequestStreamHandler";
    static final String PROXY_BASELINE = "do-nothing RequestHandler<APIGatewayProxy>";

    /** One cold start: process start to first response, the runtime's Init Duration, the process's CPU time. */
    record Run(double wallMs, double initMs, double cpuMs) {
    }

    private ColdStartTable() {
    }

    /** Medians and ratios; a +AppCDS row is compared with the baselines that ran on their own archives too. */
    static void print(Map<String, List<Run>> results, int runs) {
        System.out.printf("%ncold start through the runtime client, %d runs each (%d cores; java %s; %s)%n", runs,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), LambdaJavaRuntime.JAVA21_JVM_OPTIONS);
        String format = "%-52s %9s %7s %7s %9s %9s %7s %7s %18s %18s%n";
        System.out.printf(format, "variant", "wall-med", "min", "max", "init-med", "cpu-med", "min", "max",
                "vs-stream wall/cpu", "vs-proxy wall/cpu");
        results.forEach((label, list) -> {
            String suffix = label.endsWith(APPCDS) ? APPCDS : "";
            List<Run> stream = results.get(STREAM_BASELINE + suffix);
            List<Run> proxy = results.get(PROXY_BASELINE + suffix);
            double wall = median(list, Run::wallMs);
            double cpu = median(list, Run::cpuMs);
            System.out.printf(format, label, ms(wall), ms(min(list, Run::wallMs)), ms(max(list, Run::wallMs)),
                    ms(median(list, Run::initMs)), ms(cpu), ms(min(list, Run::cpuMs)), ms(max(list, Run::cpuMs)),
                    ratio(wall / median(stream, Run::wallMs)) + "/" + ratio(cpu / median(stream, Run::cpuMs)),
                    ratio(wall / median(proxy, Run::wallMs)) + "/" + ratio(cpu / median(proxy, Run::cpuMs)));
        });
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
        return Stats.median(runs.stream().map(figure::applyAsDouble).toList());
    }

    private static double min(List<Run> runs, ToDoubleFunction<Run> figure) {
        return runs.stream().mapToDouble(figure).min().orElseThrow();
    }

    private static double max(List<Run> runs, ToDoubleFunction<Run> figure) {
        return runs.stream().mapToDouble(figure).max().orElseThrow();
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.0f", millis);
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f", ratio);
    }
}
