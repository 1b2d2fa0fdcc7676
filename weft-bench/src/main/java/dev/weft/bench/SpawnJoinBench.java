package dev.weft.bench;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Spawn and join {@code count} trivial tasks: each yields its carrier once ({@link Thread#yield()})
 * and returns its index; the sum of the results is checked against n(n-1)/2 and a wrong sum fails
 * the benchmark. One invocation is one whole batch, so the score is milliseconds per batch
 * ({@code bench/compare} turns it into tasks per second: {@code count / seconds}).
 *
 * <p>All four variants start from the JMH worker thread (a platform thread), keep a handle per
 * task, and read every result back through that handle after the batch has ended:
 * <ul>
 *   <li>{@code weftTaskGroup}: {@code TaskGroup.run(g -> spawn...)}, then {@link Task#outcome()};</li>
 *   <li>{@code rawVirtualThreads}: {@code Thread.ofVirtual().start}, {@code join}, results in an array;</li>
 *   <li>{@code virtualThreadExecutor}: {@code Executors.newVirtualThreadPerTaskExecutor()}, futures;</li>
 *   <li>{@code structuredTaskScope}: JDK 25 {@code StructuredTaskScope.open()} (preview), subtasks.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview", "-Xms4g", "-Xmx4g"})
public class SpawnJoinBench {

    /** Tasks per batch. {@code bench/compare --quick} uses 100000. */
    @Param({"1000000"})
    public int count;

    private static long expected(int n) {
        return (long) n * (n - 1) / 2;
    }

    private static long check(long sum, int n) {
        if (sum != expected(n)) {
            throw new IllegalStateException("wrong sum " + sum + " for " + n + " tasks, expected " + expected(n));
        }
        return sum;
    }

    /** The trivial task: yield once, return the index. */
    private static Integer work(int i) {
        Thread.yield();
        return i;
    }

    @Benchmark
    public long weftTaskGroup() throws InterruptedException {
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
            sum += results[i]; // join happens-after the thread's write
        }
        return check(sum, n);
    }

    @Benchmark
    public long virtualThreadExecutor() throws Exception {
        final int n = count;
        List<Future<Integer>> futures = new ArrayList<>(n);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                final int idx = i;
                futures.add(ex.submit(() -> work(idx)));
            }
        } // close() waits for every task
        long sum = 0;
        for (Future<Integer> f : futures) {
            sum += f.get();
        }
        return check(sum, n);
    }

    @Benchmark
    public long structuredTaskScope() throws InterruptedException {
        final int n = count;
        List<StructuredTaskScope.Subtask<Integer>> subtasks = new ArrayList<>(n);
        try (var scope = StructuredTaskScope.<Integer>open()) {
            for (int i = 0; i < n; i++) {
                final int idx = i;
                subtasks.add(scope.fork(() -> work(idx)));
            }
            scope.join();
        }
        long sum = 0;
        for (StructuredTaskScope.Subtask<Integer> s : subtasks) {
            sum += s.get();
        }
        return check(sum, n);
    }
}
