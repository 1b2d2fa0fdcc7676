package dev.weft.cli;

import dev.weft.AsCompleted;
import dev.weft.Limiter;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskGroupException;
import dev.weft.Timeouts;
import dev.weft.Weft;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A short, real demo of Weft's core patterns on simulated I/O (sleeps standing in for network
 * calls): bounded fan-out, fail-fast groups, timeouts, races, as-completed and partial failures.
 * Runs under {@link Weft#run}, so Ctrl-C cancels it cleanly.
 */
final class DemoCommand extends Cli.Command {

    int tasks;
    int limit;

    @Override
    String name() {
        return "demo";
    }

    @Override
    List<String> description() {
        return List.of("Runs a short demo of Weft's core patterns on simulated I/O (no network needed).");
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.option("--tasks", "N", "Simulated requests in the fan-out (default: ${DEFAULT-VALUE}).", "1000", Cli.INT, v -> tasks = v);
        spec.option("--limit", "N", "At most this many run at once (default: ${DEFAULT-VALUE}).", "64", Cli.INT, v -> limit = v);
    }

    @Override
    int call() throws Exception {
        if (tasks < 1 || limit < 1) {
            System.err.println("weft demo: --tasks and --limit must be at least 1 (got " + tasks + " and " + limit + ")");
            return 2;
        }
        try {
            Weft.run(() -> {
                fanOut();
                failFast();
                timeouts();
                race();
                asCompleted();
                partialFailures();
                return null;
            });
        } catch (InterruptedException e) {
            out.println("\ncancelled: " + e.getMessage() + " (every task was cancelled and joined)");
            return 130;
        }
        return 0;
    }

    private static String fakeFetch(int i, int maxMillis) throws InterruptedException {
        Weft.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, maxMillis + 1)));
        return "page-" + i;
    }

    private void fanOut() throws InterruptedException {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        long t0 = System.nanoTime();
        List<Integer> sizes = Weft.map(IntStream.range(0, tasks).boxed().toList(), limit, i -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                return fakeFetch(i, 20).length();
            } finally {
                running.decrementAndGet();
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        out.printf("1. map: %,d simulated fetches (1-20 ms each), limit %d: %,d results in order, in %d ms; peak concurrency %d%n",
                tasks, limit, sizes.size(), ms, peak.get());
    }

    private void failFast() throws InterruptedException {
        AtomicInteger cancelled = new AtomicInteger();
        try {
            TaskGroup.run(g -> {
                for (int i = 0; i < 5; i++) {
                    g.spawn("worker-" + i, () -> {
                        try {
                            Weft.sleep(Duration.ofSeconds(30));
                            return null;
                        } catch (InterruptedException e) {
                            cancelled.incrementAndGet();
                            throw e;
                        }
                    });
                }
                g.spawn("broken", () -> {
                    Weft.sleep(Duration.ofMillis(10));
                    throw new IllegalStateException("upstream returned garbage");
                });
                return null;
            });
        } catch (TaskGroupException e) {
            out.printf("2. TaskGroup: one task failed (%s); its %d siblings were cancelled and joined; %d failure(s) reported%n",
                    e.getCause().getMessage(), cancelled.get(), e.failures().size());
        }
    }

    private void timeouts() throws InterruptedException {
        Optional<String> fast = Timeouts.moveOnAfter(Duration.ofMillis(200), () -> fakeFetch(1, 5));
        Optional<String> slow = Timeouts.moveOnAfter(Duration.ofMillis(50), () -> {
            Weft.sleep(Duration.ofSeconds(10));
            return "never";
        });
        out.printf("3. timeouts: fast call gave %s; slow call was stopped at its deadline and gave %s%n", fast, slow);
    }

    private void race() throws InterruptedException {
        AtomicInteger losersCancelled = new AtomicInteger();
        List<Callable<String>> replicas = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int replica = r;
            replicas.add(() -> {
                try {
                    Weft.sleep(Duration.ofMillis(10 + 40L * replica));
                    return "replica-" + replica;
                } catch (InterruptedException e) {
                    losersCancelled.incrementAndGet();
                    throw e;
                }
            });
        }
        String winner = Weft.race(replicas);
        out.printf("4. race: %s answered first; %d slower replicas were cancelled before race returned%n",
                winner, losersCancelled.get());
    }

    private void asCompleted() throws InterruptedException {
        List<String> order = TaskGroup.run(g -> {
            List<Task<String>> ts = new ArrayList<>();
            for (int ms : new int[] {60, 20, 40}) {
                ts.add(g.spawn(() -> {
                    Weft.sleep(Duration.ofMillis(ms));
                    return ms + "ms";
                }));
            }
            List<String> seen = new ArrayList<>();
            AsCompleted<String> done = Weft.asCompleted(ts);
            while (done.hasNext()) {
                seen.add(done.next().join());
            }
            return seen;
        });
        out.printf("5. asCompleted: results in completion order %s%n", order);
    }

    private void partialFailures() throws InterruptedException {
        Limiter limiter = Limiter.of(4);
        List<Outcome<String>> outcomes = Weft.mapOutcomes(IntStream.range(0, 10).boxed().toList(), 10, i -> limiter.run(() -> {
            if (i % 4 == 3) {
                throw new java.io.IOException("connection reset (simulated) for item " + i);
            }
            return fakeFetch(i, 5);
        }));
        long ok = outcomes.stream().filter(Outcome::isSuccess).count();
        out.printf("6. mapOutcomes: %d ok, %d failed, kept as data: %s%n", ok, outcomes.size() - ok,
                outcomes.stream().filter(o -> !o.isSuccess()).map(o -> ((Outcome.Failure<String>) o).error().getMessage()).toList());
    }
}
