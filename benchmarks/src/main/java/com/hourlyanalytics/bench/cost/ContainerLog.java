package com.hourlyanalytics.bench.cost;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner's log in {@code --lambda} mode, read as it is written: every line a container forwards comes prefixed
 * {@code [Function#n]}, so the function it belongs to is known. Sums, per function, the store calls the
 * {@link ContainerStoreCounter} printed, the invocations and their billed milliseconds from the runner's REPORT
 * lines, and the cold starts with their Init Duration. Other lines (request logs, metrics) are counted and sized.
 */
final class ContainerLog extends OutputStream {

    private static final Pattern LINE = Pattern.compile("\\[(\\w+)#\\d+] (.*)");
    private static final Pattern REPORT = Pattern.compile(
            "REPORT RequestId: \\S+ Duration: ([\\d.]+) ms(?: Init Duration: ([\\d.]+) ms)?.*");
    private static final Pattern CALL = Pattern.compile(Pattern.quote(ContainerStoreCounter.PREFIX) + "(\\w+) (\\S+) ([\\d.]+)");

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final Map<String, FunctionUsage> usage = new HashMap<>();
    private long lastLineNanos = System.nanoTime();

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            parse(line.toString(StandardCharsets.UTF_8));
            line.reset();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    /**
     * What every function used since the last call, and a fresh start. Containers' stdout reaches the runner on
     * threads of its own, after the HTTP answer: waits until no line came for {@code quietMillis}, so that the
     * calls of the phase's last requests are in.
     */
    Map<String, FunctionUsage> takeAfterQuiet(long quietMillis) throws InterruptedException {
        while (true) {
            synchronized (this) {
                if (System.nanoTime() - lastLineNanos >= quietMillis * 1_000_000) {
                    Map<String, FunctionUsage> taken = new HashMap<>(usage);
                    usage.clear();
                    return taken;
                }
            }
            Thread.sleep(quietMillis / 4);
        }
    }

    private void parse(String text) {
        lastLineNanos = System.nanoTime();
        Matcher prefixed = LINE.matcher(text);
        if (!prefixed.matches()) {
            return;
        }
        FunctionUsage function = usage.computeIfAbsent(prefixed.group(1), f -> new FunctionUsage());
        String rest = prefixed.group(2);
        Matcher call = CALL.matcher(rest);
        Matcher report = REPORT.matcher(rest);
        if (call.matches()) {
            function.storeCall(call.group(1), call.group(2), Double.parseDouble(call.group(3)));
        } else if (report.matches()) {
            function.invocation(Double.parseDouble(report.group(1)),
                    report.group(2) == null ? -1 : Double.parseDouble(report.group(2)));
        } else {
            function.logLine(rest);
        }
    }
}
