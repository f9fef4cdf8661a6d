package com.hourlyanalytics.local.lambda;

import com.hourlyanalytics.local.template.ServerlessFunction;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lambda's scaling model for one function: a container per concurrent request, started on demand (a cold start)
 * up to {@code maxContainers}, kept warm afterwards and reused most-recently-used first. A request waits at most
 * {@code maxWait} for a free container; a dead one (timed out, crashed) is dropped and replaced on demand.
 * Cold starts go to {@code log}; what a container writes per request, to {@code requestLog} (see FunctionContainer).
 */
public final class ContainerPool implements AutoCloseable {

    private final ServerlessFunction function;
    private final Map<String, String> variables;
    private final LambdaJavaRuntime runtime;
    private final PrintStream log;
    private final PrintStream requestLog;
    private final Duration maxWait;
    private final Semaphore free;
    private final Deque<FunctionContainer> idle = new ConcurrentLinkedDeque<>();
    private final List<FunctionContainer> all = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean closed;

    public ContainerPool(ServerlessFunction function, Map<String, String> variables, LambdaJavaRuntime runtime,
                         int maxContainers, Duration maxWait, PrintStream log, PrintStream requestLog) {
        this.function = function;
        this.variables = Map.copyOf(variables);
        this.runtime = runtime;
        this.maxWait = maxWait;
        this.log = log;
        this.requestLog = requestLog;
        this.free = new Semaphore(maxContainers, true);
    }

    /** The outcome, or empty when no container came free within the wait (Lambda's throttling). */
    public Optional<InvocationOutcome> invoke(byte[] event) throws InterruptedException {
        if (!free.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
            return Optional.empty();
        }
        try {
            FunctionContainer container = take();
            InvocationOutcome outcome = container.invoke(event);
            if (container.isAlive() && !closed) {
                idle.push(container);
            } else {
                discard(container);
            }
            return Optional.of(outcome);
        } finally {
            free.release();
        }
    }

    private FunctionContainer take() {
        for (FunctionContainer container; (container = idle.poll()) != null; ) {
            if (container.isAlive()) {
                return container;
            }
            discard(container);
        }
        String name = function.logicalId() + "#" + started.incrementAndGet();
        log.println("[" + name + "] cold start: new container for " + function.handler());
        FunctionContainer container = FunctionContainer.start(function, variables, runtime, name, log, requestLog);
        synchronized (all) {
            if (closed) {
                container.close();
                throw new IllegalStateException("pool closed");
            }
            all.add(container);
        }
        return container;
    }

    private void discard(FunctionContainer container) {
        synchronized (all) {
            all.remove(container);
        }
        container.close();
    }

    /** Containers started so far, cold starts included. */
    public int started() {
        return started.get();
    }

    @Override
    public void close() {
        List<FunctionContainer> containers;
        synchronized (all) {
            closed = true;
            containers = List.copyOf(all);
            all.clear();
        }
        containers.parallelStream().forEach(FunctionContainer::close);
    }
}
