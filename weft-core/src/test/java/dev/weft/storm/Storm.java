package dev.weft.storm;

import dev.weft.CancelScope;
import dev.weft.DeadlineExceededException;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskGroupException;
import dev.weft.Timeouts;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A cancellation storm: many tasks run operations on one primitive, each operation cut short at a
 * random moment by one of the ways Weft cancels work (a cancel scope cancelled by another task,
 * {@code failAfter} and {@code moveOnAfter} with 20-220 microsecond timeouts, {@code Task.cancel},
 * a sibling's failure, the deadline of a scope around a group), or left alone.
 *
 * <p>After every operation that returned normally (checked inside its scope) and after every
 * mechanism that ended normally or was cut short by its own scope (checked outside it), the thread
 * must carry an interrupt only if some scope on its chain is cancelled: {@code isInterrupted()}
 * implies {@link Weft#isCancelled()}. Every violation is counted as a stray interrupt, with where it
 * happened. The caller balances its own books (items, permits) after {@link #run}.
 *
 * <p>Size: {@link #SCALE} multiplies the operations per task ({@code -Dweft.storm.scale=100} in
 * {@code bench/storms}; 1 in the test suite).
 */
public final class Storm {
    /** Multiplies the number of operations (system property {@code weft.storm.scale}, default 1). */
    public static final int SCALE = Integer.getInteger("weft.storm.scale", 1);

    /** One operation on the primitive under test. */
    @FunctionalInterface
    public interface Op {
        /** Runs the operation; {@code worker} is the index of the task running it. */
        void run(int worker) throws Exception;
    }

    /** How an operation is cut short. */
    public enum Mechanism {
        NONE, CANCEL_SCOPE, FAIL_AFTER, MOVE_ON_AFTER, TASK_CANCEL, SIBLING_FAILURE, GROUP_DEADLINE
    }

    private final String name;
    private final AtomicLong stray = new AtomicLong();
    private final AtomicLong escaped = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong cutShort = new AtomicLong();
    private final List<String> where = Collections.synchronizedList(new ArrayList<>());

    public Storm(String name) {
        this.name = name;
    }

    /**
     * Runs {@code tasks} tasks of {@code opsPerTask * SCALE} operations each; task {@code i} runs
     * {@code ops.apply(i)}. Returns when every task has ended.
     */
    public void run(int tasks, int opsPerTask, IntFunction<Op> ops) throws InterruptedException {
        run(tasks, opsPerTask, ops, () -> { }, 0, null);
    }

    /**
     * A producer-consumer storm: {@code producers} tasks run {@code opsPerProducer * SCALE}
     * operations each; when all have ended, {@code whenProducersDone} runs (it closes the
     * primitive); {@code consumers} tasks run operations until one of them calls
     * {@link #end(int)} for their worker index (numbered after the producers).
     */
    public void run(int producers, int opsPerProducer, IntFunction<Op> producerOps, Runnable whenProducersDone,
            int consumers, IntFunction<Op> consumerOps) throws InterruptedException {
        int n = opsPerProducer * SCALE;
        ended = new AtomicIntegerArray(producers + consumers);
        java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(producers);
        TaskGroup.run(group -> {
            for (int i = 0; i < producers; i++) {
                int worker = i;
                Op op = producerOps.apply(worker);
                group.spawn(name + "-p" + worker, () -> {
                    try {
                        for (int k = 0; k < n; k++) {
                            once(op, worker);
                        }
                    } finally {
                        if (left.decrementAndGet() == 0) {
                            whenProducersDone.run();
                        }
                    }
                    return null;
                });
            }
            for (int i = 0; i < consumers; i++) {
                int worker = producers + i;
                Op op = consumerOps.apply(worker);
                group.spawn(name + "-c" + i, () -> {
                    while (ended.get(worker) == 0) {
                        once(op, worker);
                    }
                    return null;
                });
            }
            if (producers == 0) {
                whenProducersDone.run();
            }
            return null;
        });
    }

    private volatile AtomicIntegerArray ended = new AtomicIntegerArray(0);

    /** Called by a consumer's operation when the primitive is closed and drained: its task stops. */
    public void end(int worker) {
        ended.set(worker, 1);
    }

    /** Runs one operation under a random mechanism and checks the flag inside and outside it. */
    public void once(Op op, int worker) throws InterruptedException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        Mechanism m = Mechanism.values()[r.nextInt(Mechanism.values().length)];
        operations.incrementAndGet();
        try {
            switch (m) {
                case NONE -> checked(op, worker, m);
                case CANCEL_SCOPE -> {
                    CancelScope cs = CancelScope.create();
                    Thread canceller = Thread.ofVirtual().start(() -> {
                        spin(r.nextInt(2_000));
                        cs.cancel();
                    });
                    cs.run(() -> {
                        checked(op, worker, m);
                        return null;
                    });
                    canceller.join();
                    if (cs.cancelledCaught()) {
                        cutShort.incrementAndGet();
                    }
                }
                case FAIL_AFTER -> {
                    try {
                        Timeouts.failAfter(tiny(r), () -> {
                            checked(op, worker, m);
                            return null;
                        });
                    } catch (DeadlineExceededException e) {
                        cutShort.incrementAndGet();
                    }
                }
                case MOVE_ON_AFTER -> Timeouts.moveOnAfter(tiny(r), () -> {
                    checked(op, worker, m);
                    return null;
                });
                case TASK_CANCEL -> TaskGroup.supervise(g -> {
                    Task<Object> t = g.spawn(() -> {
                        checked(op, worker, m);
                        return null;
                    });
                    spin(r.nextInt(2_000));
                    t.cancel();
                    if (t.outcome() instanceof dev.weft.Outcome.Failure<Object> f) {
                        throw new IllegalStateException("the operation failed", f.error());
                    }
                    return null;
                });
                case SIBLING_FAILURE -> {
                    try {
                        TaskGroup.run(g -> {
                            g.spawn(() -> {
                                checked(op, worker, m);
                                return null;
                            });
                            g.spawn(() -> {
                                spin(r.nextInt(2_000));
                                throw new SiblingFailed();
                            });
                            return null;
                        });
                    } catch (TaskGroupException e) {
                        if (!(e.getCause() instanceof SiblingFailed)) {
                            throw e;
                        }
                        cutShort.incrementAndGet();
                    }
                }
                case GROUP_DEADLINE -> Timeouts.moveOnAfter(tiny(r), () -> TaskGroup.run(g -> {
                    g.spawn(() -> {
                        checked(op, worker, m);
                        return null;
                    });
                    g.spawn(() -> {
                        checked(op, worker, m);
                        return null;
                    });
                    return null;
                }));
            }
        } catch (InterruptedException | CancellationException e) {
            // nothing outside this mechanism cancelled the worker: a cancellation escaping its own scope is a bug
            escaped.incrementAndGet();
            note("escaped " + m + ": " + e);
        } catch (Exception e) {
            escaped.incrementAndGet();
            note("escaped " + m + ": " + e);
        }
        if (Thread.currentThread().isInterrupted() && !Weft.isCancelled()) {
            stray.incrementAndGet();
            note("stray interrupt after " + m + " ended");
            Thread.interrupted(); // keep counting from a clean flag
        }
    }

    private void checked(Op op, int worker, Mechanism m) throws Exception {
        op.run(worker);
        if (Thread.currentThread().isInterrupted() && !Weft.isCancelled()) {
            stray.incrementAndGet();
            note("stray interrupt after the operation returned (" + m + ")");
        }
    }

    private void note(String s) {
        if (where.size() < 20) {
            where.add(s);
        }
    }

    private static Duration tiny(ThreadLocalRandom r) {
        return Duration.ofNanos(20_000 + r.nextInt(200_000));
    }

    private static void spin(int n) {
        for (int i = 0; i < n; i++) {
            Thread.onSpinWait();
        }
    }

    /** Stray interrupts seen. */
    public long stray() {
        return stray.get();
    }

    /** Cancellations (or other exceptions) that escaped the mechanism that caused them. */
    public long escaped() {
        return escaped.get();
    }

    /** Operations run. */
    public long operations() {
        return operations.get();
    }

    /** Mechanisms that reported cutting their operation short. */
    public long cutShort() {
        return cutShort.get();
    }

    /** The first few violations, for the failure message. */
    public String report() {
        return name + ": " + operations + " operations, " + cutShort + " cut short, " + stray + " stray interrupts, "
                + escaped + " escaped; first: " + where;
    }

    private static final class SiblingFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SiblingFailed() {
            super("a sibling failed on purpose", null, false, false);
        }
    }
}
