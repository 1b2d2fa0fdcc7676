package dev.weft.bench;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What debug mode's hooks cost: spawn + join of {@code count} trivial tasks per batch, and a
 * timeout scope that does not fire around a trivial call, timed in one JVM. Run it on several
 * class paths side by side (main's weft-core, this branch with debug off, this branch with debug
 * on): {@code bench/debug-overhead} does, alternating them. Prints one line:
 * {@code label spawnJoinMsPerBatch(median) timeoutNsPerCall(median)}.
 *
 * <p>Not JMH (the comparison is between class paths, which JMH forks cannot switch); warm-up
 * batches are dropped and the median of the rest is printed.
 */
public final class DebugOverhead {
    private DebugOverhead() {
    }

    /**
     * Runs the measurement.
     *
     * @param args label, tasks per batch (default 100000), batches (default 30)
     * @throws Exception if a batch fails
     */
    public static void main(String[] args) throws Exception {
        String label = args.length > 0 ? args[0] : "run";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int batches = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        double[] spawn = new double[batches];
        double[] scope = new double[batches];
        for (int b = 0; b < batches + 10; b++) {
            long t0 = System.nanoTime();
            long sum = batch(count);
            long t1 = System.nanoTime();
            if (sum != (long) count * (count - 1) / 2) {
                throw new IllegalStateException("wrong sum " + sum);
            }
            long calls = 1_000_000;
            long acc = 0;
            for (int i = 0; i < calls; i++) {
                acc += Timeouts.failAfter(Duration.ofSeconds(10), () -> 1);
            }
            long t2 = System.nanoTime();
            if (acc != calls) {
                throw new IllegalStateException("wrong count " + acc);
            }
            if (b >= 10) {
                spawn[b - 10] = (t1 - t0) / 1e6;
                scope[b - 10] = (double) (t2 - t1) / calls;
            }
        }
        System.out.printf("%s %.1f %.1f%n", label, median(spawn), median(scope));
    }

    private static long batch(int n) throws InterruptedException {
        List<Task<Integer>> tasks = TaskGroup.run(g -> {
            List<Task<Integer>> ts = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final int idx = i;
                ts.add(g.spawn(() -> {
                    Thread.yield();
                    return idx;
                }));
            }
            return ts;
        });
        long sum = 0;
        for (Task<Integer> t : tasks) {
            sum += t.outcome().getOrThrow();
        }
        return sum;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
