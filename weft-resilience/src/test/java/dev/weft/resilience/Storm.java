package dev.weft.resilience;

import dev.weft.CancelScope;
import dev.weft.DeadlineExceededException;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskGroupException;
import dev.weft.Timeouts;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A cancellation storm (issue 11): {@link #tasks} virtual-thread tasks each run {@link #opsPerTask}
 * operations of one primitive, every operation under a random way of being cancelled: none, a cancel
 * scope that another task cancels, {@code failAfter} or {@code moveOnAfter} with a timeout of 1 to
 * 200 microseconds, {@code Task.cancel}, a sibling's failure, a group's deadline. After every
 * operation that returned normally, and after every mechanism that cut an operation short by its own
 * scope, the thread's interrupt flag must imply that an enclosing scope is cancelled
 * ({@link Weft#isCancelled()}): a flag without a cancelled scope is a stray interrupt, counted and
 * cleared.
 *
 * <p>Size: {@code -Dweft.storm.scale=N} multiplies the operations per task (default 1: a few
 * seconds in CI; the nightly script runs 100).
 */
final class Storm {
    /** The system property scaling every storm. */
    static final String SCALE_PROPERTY = "weft.storm.scale";
    static final int SCALE = Integer.getInteger(SCALE_PROPERTY, 1);

    /** One operation of the primitive under test; its expected exceptions are listed in {@link #expected}. */
    @FunctionalInterface
    interface Op {
        void run(SplittableRandom random) throws Exception;
    }

    final int tasks;
    final int opsPerTask;
    private final Set<Class<? extends Throwable>> expected;
    private final AtomicReferenceArray<CancelScope> victims = new AtomicReferenceArray<>(64);
    private final AtomicLong stray = new AtomicLong();
    private final ConcurrentLinkedQueue<String> strayWhere = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    final LongAdder[] mechanisms = new LongAdder[7];
    static final String[] MECHANISM_NAMES = {"plain", "cancel scope cancelled by another task", "failAfter",
        "moveOnAfter", "Task.cancel", "sibling failure", "group deadline"};

    /** A failure of a sibling, to cancel the operation's group. */
    static final class SiblingFailure extends RuntimeException {
        SiblingFailure() {
            super("a sibling failed", null, false, false);
        }
    }

    Storm(int tasks, int opsPerTask, Set<Class<? extends Throwable>> expected) {
        this.tasks = tasks;
        this.opsPerTask = opsPerTask * SCALE;
        this.expected = expected;
        for (int i = 0; i < mechanisms.length; i++) {
            mechanisms[i] = new LongAdder();
        }
    }

    /** Stray interrupts seen (must be 0). */
    long strays() {
        return stray.get();
    }

    /** Where the first stray interrupts were seen. */
    List<String> strayWhere() {
        return List.copyOf(strayWhere);
    }

    /** Exceptions no operation should have ended with. */
    List<Throwable> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Records a stray interrupt on the calling thread, if any, and clears it. */
    void checkNoStray(String where) {
        if (Thread.currentThread().isInterrupted() && !Weft.isCancelled()) {
            if (stray.incrementAndGet() <= 10) {
                strayWhere.add(where + " on " + Thread.currentThread());
            }
            Thread.interrupted();
        }
    }

    /** Runs the storm: returns when every task has done its operations. */
    void run(long seed, Op op) throws InterruptedException {
        SplittableRandom seeds = new SplittableRandom(seed);
        TaskGroup.run(g -> {
            for (int i = 0; i < tasks; i++) {
                SplittableRandom r = seeds.split();
                g.spawn("storm-" + i, () -> {
                    for (int n = 0; n < opsPerTask; n++) {
                        one(r, op);
                    }
                    return null;
                });
            }
            return null;
        });
    }

    private static Duration tiny(SplittableRandom r) {
        return Duration.ofNanos(r.nextLong(1_000, 200_000));
    }

    private void one(SplittableRandom r, Op op) {
        int m = r.nextInt(mechanisms.length);
        mechanisms[m].increment();
        try {
            switch (m) {
                case 0 -> op.run(r);
                case 1 -> {
                    CancelScope scope = CancelScope.create();
                    scope.run(() -> {
                        victims.set(r.nextInt(victims.length()), scope);
                        CancelScope victim = victims.get(r.nextInt(victims.length()));
                        if (victim != null && r.nextInt(3) == 0) {
                            victim.cancel(); // someone's scope, perhaps this one
                        }
                        op.run(r);
                        return null;
                    });
                }
                case 2 -> Timeouts.failAfter(tiny(r), () -> {
                    op.run(r);
                    return null;
                });
                case 3 -> Timeouts.moveOnAfter(tiny(r), () -> {
                    op.run(r);
                    return null;
                });
                case 4 -> {
                    SplittableRandom child = r.split();
                    TaskGroup.run(g -> {
                        Task<Object> t = g.spawn(() -> {
                            op.run(child);
                            return null;
                        });
                        if (r.nextBoolean()) {
                            Weft.sleep(tiny(r));
                        } else {
                            Thread.yield();
                        }
                        t.cancel();
                        return null;
                    });
                }
                case 5 -> {
                    SplittableRandom child = r.split();
                    Duration d = tiny(r);
                    TaskGroup.run(g -> {
                        g.spawn(() -> {
                            op.run(child);
                            return null;
                        });
                        g.spawn(() -> {
                            Weft.sleep(d);
                            throw new SiblingFailure();
                        });
                        return null;
                    });
                }
                default -> {
                    SplittableRandom a = r.split();
                    SplittableRandom b = r.split();
                    Timeouts.moveOnAfter(tiny(r), () -> TaskGroup.run(g -> {
                        g.spawn(() -> {
                            op.run(a);
                            return null;
                        });
                        g.spawn(() -> {
                            op.run(b);
                            return null;
                        });
                        return null;
                    }));
                }
            }
        } catch (TaskGroupException e) {
            for (Throwable f : e.failures()) {
                if (!(f instanceof SiblingFailure) && !isExpected(f)) {
                    unexpected.add(f);
                }
            }
        } catch (DeadlineExceededException e) {
            // failAfter cut the operation short
        } catch (Throwable t) {
            if (!isExpected(t)) {
                unexpected.add(t);
            }
        }
        checkNoStray("after " + MECHANISM_NAMES[m]);
    }

    private boolean isExpected(Throwable t) {
        for (Class<? extends Throwable> c : expected) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Prints one summary line when scaled up (the nightly run's log); quiet at the CI size. */
    void report(String summary) {
        if (SCALE > 1) {
            System.out.println("storm (scale " + SCALE + "): " + summary + ", " + strays() + " stray interrupts");
        }
    }

    /** The counts per mechanism, for failure messages. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mechanisms.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(MECHANISM_NAMES[i]).append(' ').append(mechanisms[i].sum());
        }
        return tasks + " tasks x " + opsPerTask + " operations (" + sb + ")";
    }
}
