package dev.weft.internal;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The system clock: {@link System#nanoTime()} and one shared daemon timer thread for every
 * deadline in the JVM.
 *
 * <p>Design (ADR 0011): timers live in indexed min-heaps, striped by the scheduling thread's id so
 * that threads entering and leaving timeout scopes at once take different locks (one heap under one
 * lock cost 529 ns per core at 8 threads, the threads queueing on it). Each stripe is guarded by its
 * own monitor, padded apart. The timer thread sleeps until {@code plannedWake}, the earliest deadline
 * it knows of. Scheduling lowers {@code plannedWake} by CAS and wakes the timer only when the new
 * deadline is earlier; cancelling never wakes it (it wakes at the stale instant, finds nothing, and
 * sleeps again). While the timer thread scans the stripes {@code plannedWake} reads
 * {@link #SCANNING}: a timer scheduled then unparks it, so its next park returns at once and it scans
 * again. A scope that ends before its deadline thus costs one insert and one remove under an
 * uncontended lock and no thread hand-off.
 */
public final class SystemClock extends Clock {
    public static final SystemClock INSTANCE = new SystemClock();
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.weft.timer");
    }

    /** {@code plannedWake} while the timer thread scans: any timer scheduled meanwhile wakes it. */
    private static final long SCANNING = Long.MIN_VALUE;
    private static final VarHandle PLANNED;

    static {
        try {
            PLANNED = MethodHandles.lookup().findVarHandle(SystemClock.class, "plannedWake", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One heap and its monitor, padded so that two stripes' hot words never share a cache line. */
    @SuppressWarnings("unused")
    private static final class Stripe {
        long p0, p1, p2, p3, p4, p5, p6, p7;
        final TimerHeap heap = new TimerHeap();
        long q0, q1, q2, q3, q4, q5, q6, q7;
    }

    private final Stripe[] stripes;
    private final int mask;
    private volatile long plannedWake = NONE;
    private volatile Thread timerThread;

    private SystemClock() {
        int n = Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors() * 4) - 1) << 1;
        n = Math.min(n, 64);
        stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe();
        }
        mask = n - 1;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant instant() {
        return Instant.now();
    }

    @Override
    public TimerEntry schedule(long deadline, Runnable action) {
        TimerEntry e = new TimerEntry(deadline, action);
        int i = (int) Thread.currentThread().threadId() & mask;
        e.stripe = i;
        Stripe s = stripes[i];
        synchronized (s) {
            s.heap.add(e);
        }
        long p = plannedWake;
        while (true) {
            if (p == SCANNING) {
                wakeTimer(); // it may have passed this stripe already: make it scan once more
                break;
            }
            if (deadline >= p) {
                break;
            }
            if (PLANNED.compareAndSet(this, p, deadline)) {
                wakeTimer();
                break;
            }
            p = plannedWake;
        }
        return e;
    }

    private void wakeTimer() {
        Thread t = timerThread;
        if (t == null) {
            synchronized (this) {
                t = timerThread;
                if (t == null) {
                    t = Thread.ofPlatform().daemon().name("weft-timer").unstarted(this::loop);
                    timerThread = t;
                    t.start();
                    return;
                }
            }
        }
        LockSupport.unpark(t);
    }

    @Override
    public void cancel(TimerEntry entry) {
        if (entry.index < 0) {
            return; // already fired or removed (a racy read is fine: remove() re-checks under the lock)
        }
        Stripe s = stripes[entry.stripe];
        synchronized (s) {
            s.heap.remove(entry);
        }
    }

    @Override
    public void park(ThreadState st, Object blocker, long deadline) {
        if (deadline == NONE) {
            LockSupport.park(blocker);
        } else {
            long wait = deadline - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(blocker, wait);
            }
        }
    }

    private void loop() {
        List<TimerEntry> due = new ArrayList<>();
        while (true) {
            plannedWake = SCANNING;
            long now = System.nanoTime();
            long next = NONE;
            for (Stripe s : stripes) {
                synchronized (s) {
                    TimerEntry e;
                    while ((e = s.heap.peek()) != null && e.deadline - now <= 0) {
                        due.add(s.heap.poll());
                    }
                    if (e != null && e.deadline < next) {
                        next = e.deadline;
                    }
                }
            }
            plannedWake = next; // only this thread replaces SCANNING; schedulers lower it from here
            for (TimerEntry e : due) {
                try {
                    e.action.run();
                } catch (Throwable t) {
                    Log.LOG.log(Level.ERROR, "a Weft timer action failed", t);
                }
            }
            if (due.isEmpty()) {
                if (next == NONE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, next - now);
                }
            }
            due.clear();
        }
    }
}
