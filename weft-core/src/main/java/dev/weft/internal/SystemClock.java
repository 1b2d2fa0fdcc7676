package dev.weft.internal;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The system clock: {@link System#nanoTime()} and one shared daemon timer thread for every
 * deadline in the JVM.
 *
 * <p>Design: timers live in an indexed min-heap guarded by one lock. Scheduling wakes the timer
 * thread only when the new deadline is earlier than the instant it already plans to wake at, and
 * cancelling never wakes it (it wakes at the stale instant, finds nothing, and sleeps again), so a
 * scope that ends before its deadline costs one insert and one remove under an uncontended lock
 * and no thread hand-off.
 */
public final class SystemClock extends Clock {
    public static final SystemClock INSTANCE = new SystemClock();
    private static final System.Logger LOG = System.getLogger("dev.weft.timer");

    private final ReentrantLock lock = new ReentrantLock();
    private final TimerHeap heap = new TimerHeap();
    private long plannedWake = NONE; // guarded by lock
    private Thread timerThread; // guarded by lock

    private SystemClock() {
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
        Thread toWake = null;
        lock.lock();
        try {
            heap.add(e);
            if (deadline < plannedWake) {
                plannedWake = deadline;
                if (timerThread == null) {
                    timerThread = Thread.ofPlatform().daemon().name("weft-timer").unstarted(this::loop);
                    timerThread.start();
                } else {
                    toWake = timerThread;
                }
            }
        } finally {
            lock.unlock();
        }
        if (toWake != null) {
            LockSupport.unpark(toWake);
        }
        return e;
    }

    @Override
    public void cancel(TimerEntry entry) {
        if (entry.index < 0) {
            return; // already fired or removed (a racy read is fine: remove() re-checks under the lock)
        }
        lock.lock();
        try {
            heap.remove(entry);
        } finally {
            lock.unlock();
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
            long next;
            long now;
            lock.lock();
            try {
                now = System.nanoTime();
                TimerEntry e;
                while ((e = heap.peek()) != null && e.deadline - now <= 0) {
                    due.add(heap.poll());
                }
                next = e == null ? NONE : e.deadline;
                plannedWake = next;
            } finally {
                lock.unlock();
            }
            for (TimerEntry e : due) {
                try {
                    e.action.run();
                } catch (Throwable t) {
                    LOG.log(Level.ERROR, "a Weft timer action failed", t);
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
