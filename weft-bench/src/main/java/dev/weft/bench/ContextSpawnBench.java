package dev.weft.bench;

import dev.weft.ContextPropagation;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.context.MicrometerContext;
import io.micrometer.context.ContextRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of context propagation (issue 16) on the spawn path: {@link SpawnJoinBench#weftTaskGroup}'s
 * batch (spawn {@code count} trivial tasks, join them, check the sum) with
 * <ul>
 *   <li>{@code none}: nothing registered (the cost must be nil: one volatile read per spawn);</li>
 *   <li>{@code scopedValue}: one {@code ScopedValue} key inherited, bound at the spawner;</li>
 *   <li>{@code micrometer}: {@link MicrometerContext} with three {@code ThreadLocal}s in a
 *       {@code ContextRegistry} (an MDC-sized map, a tenant, a user), all set at the spawner; each
 *       task captures and applies a snapshot of the three, and reads one of them;</li>
 * </ul>
 * and {@code rawVirtualThreads} as the anchor in the same run. Score: milliseconds per batch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ContextSpawnBench {
    private static final ScopedValue<String> REQUEST = ScopedValue.newInstance();
    private static final ThreadLocal<java.util.Map<String, String>> MDC_LIKE = new ThreadLocal<>();
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private static final ThreadLocal<String> USER = new ThreadLocal<>();

    /** Tasks per batch. */
    @Param({"100000"})
    public int count;

    /** What is registered: none, scopedValue, micrometer. */
    @Param({"none", "scopedValue", "micrometer"})
    public String contexts;

    private ContextPropagation.Registration registration;

    @Setup
    public void register() {
        switch (contexts) {
            case "none" -> registration = null;
            case "scopedValue" -> registration = ContextPropagation.inherit(REQUEST);
            case "micrometer" -> registration = MicrometerContext.install(new ContextRegistry()
                    .registerThreadLocalAccessor("mdc", MDC_LIKE)
                    .registerThreadLocalAccessor("tenant", TENANT)
                    .registerThreadLocalAccessor("user", USER));
            default -> throw new IllegalArgumentException("contexts: none, scopedValue or micrometer, not " + contexts);
        }
        MDC_LIKE.set(java.util.Map.of("requestId", "r-1", "route", "/x"));
        TENANT.set("t-1");
        USER.set("u-1");
    }

    @TearDown
    public void unregister() {
        if (registration != null) {
            registration.close();
        }
    }

    private static long check(long sum, int n) {
        long expected = (long) n * (n - 1) / 2;
        if (sum != expected) {
            throw new IllegalStateException("wrong sum " + sum + " for " + n + " tasks, expected " + expected);
        }
        return sum;
    }

    /** The trivial task: yield once, read a context value (so it is not dead), return the index. */
    private static Integer work(int i) {
        Thread.yield();
        if (TENANT.get() == null && REQUEST.isBound() && REQUEST.get() == null) {
            throw new IllegalStateException("unreachable"); // keeps the reads
        }
        return i;
    }

    @Benchmark
    public long weftTaskGroup() throws Exception {
        if ("scopedValue".equals(contexts)) {
            return ScopedValue.where(REQUEST, "r-1").call(this::batch);
        }
        return batch();
    }

    private long batch() throws InterruptedException {
        final int n = count;
        List<Task<Integer>> tasks = TaskGroup.run(g -> {
            List<Task<Integer>> ts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int idx = i;
                ts.add(g.spawn(() -> work(idx)));
            }
            return ts;
        });
        long sum = 0;
        for (Task<Integer> t : tasks) {
            if (!(t.outcome() instanceof Outcome.Success<Integer>(Integer v))) {
                throw new IllegalStateException("task did not succeed: " + t);
            }
            sum += v;
        }
        return check(sum, n);
    }

    /** The anchor: raw virtual threads, no Weft, no context. */
    @Benchmark
    public long rawVirtualThreads() throws InterruptedException {
        final int n = count;
        final int[] results = new int[n];
        Thread[] threads = new Thread[n];
        Thread.Builder.OfVirtual builder = Thread.ofVirtual();
        for (int i = 0; i < n; i++) {
            final int idx = i;
            threads[i] = builder.start(() -> results[idx] = work(idx));
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            threads[i].join();
            sum += results[i];
        }
        return check(sum, n);
    }
}
