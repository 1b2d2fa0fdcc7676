package dev.weft.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual time for tests. Time stands still until {@link #advance} moves it, or, in auto-advancing
 * mode, until every task running under this clock is blocked in a Weft wait; then it jumps to the
 * next pending timer.
 *
 * <p>Design: {@code running} counts the tasks under this clock that are not parked in a Weft
 * wait. A thread about to park raises its {@code idle} token and decrements the count; whoever
 * wakes it (a timer, a permit release, a task completion, a cancellation) takes the token back
 * and increments the count <em>before</em> unparking it, so the count never reads zero while a
 * woken thread has merely not been scheduled yet. The thread that brings the count to zero
 * advances time itself, synchronously: no background thread, and the jump is deterministic. A
 * thread blocked in a non-Weft call (a JDK latch, socket I/O) still counts as running, so time
 * never jumps under it; at worst a test waits instead of jumping.
 */
public final class VirtualClock extends Clock {
    private final ReentrantLock lock = new ReentrantLock();
    private final TimerHeap heap = new TimerHeap();
    private final AtomicInteger running = new AtomicInteger();
    private final boolean autoAdvance;
    private final Instant epoch;
    private volatile long now;

    public VirtualClock(Instant epoch, boolean autoAdvance) {
        this.epoch = epoch;
        this.autoAdvance = autoAdvance;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Instant instant() {
        return epoch.plusNanos(now);
    }

    public boolean isAutoAdvancing() {
        return autoAdvance;
    }

    public int pendingTimers() {
        lock.lock();
        try {
            return heap.size();
        } finally {
            lock.unlock();
        }
    }

    public int runningTasks() {
        return running.get();
    }

    @Override
    public TimerEntry schedule(long deadline, Runnable action) {
        TimerEntry e = new TimerEntry(deadline, action);
        lock.lock();
        try {
            heap.add(e);
        } finally {
            lock.unlock();
        }
        return e;
    }

    @Override
    public void cancel(TimerEntry entry) {
        lock.lock();
        try {
            heap.remove(entry);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void park(ThreadState st, Object blocker, long deadline) {
        // token: 0 running, 1 parked (idle), 2 woken before it could park
        if (!ThreadState.IDLE.compareAndSet(st, 0, 1)) {
            ThreadState.IDLE.set(st, 0); // a wake came first: return as a spurious wake-up, never idle
            return;
        }
        TimerEntry wakeup = deadline == NONE ? null : schedule(deadline, () -> wake(st));
        idle();
        LockSupport.park(blocker);
        if (ThreadState.IDLE.compareAndSet(st, 1, 0)) {
            running.incrementAndGet(); // woke by itself (interrupt, spurious): count itself back in
        }
        if (wakeup != null) {
            cancel(wakeup);
        }
    }

    @Override
    public void wake(ThreadState st) {
        while (true) {
            int v = (int) ThreadState.IDLE.get(st);
            if (v == 1) {
                if (ThreadState.IDLE.compareAndSet(st, 1, 0)) {
                    running.incrementAndGet(); // hand-off: counted as running before it is unparked
                    break;
                }
            } else if (v == 0) {
                if (ThreadState.IDLE.compareAndSet(st, 0, 2)) {
                    break;
                }
            } else {
                break;
            }
        }
        LockSupport.unpark(st.thread);
    }

    @Override
    public void taskStarting() {
        running.incrementAndGet();
    }

    @Override
    public void taskEnded() {
        idle();
    }

    /** Registers the thread that enters a run() of this clock. */
    public void enter() {
        running.incrementAndGet();
    }

    public void exit() {
        idle();
    }

    private void idle() {
        if (running.decrementAndGet() == 0 && autoAdvance) {
            autoAdvance();
        }
    }

    private void autoAdvance() {
        List<TimerEntry> due = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                if (running.get() != 0) {
                    return;
                }
                TimerEntry first = heap.peek();
                if (first == null) {
                    return; // everything is blocked and nothing is scheduled: a real deadlock, not ours to break
                }
                if (first.deadline > now) {
                    now = first.deadline;
                }
                collectDue(due);
                // The firing thread counts as running while it fires: a timer action that cancels a
                // scope wakes its threads one by one, and the first woken may end (bringing the count
                // back to zero) before the rest are woken; without this, that thread advanced time
                // again, past the deadline that had just fired, while tasks it had cut short were
                // still to be woken (seen as 1 h jumping to 3 h in TimeoutsTest, once in ~300 runs).
                running.incrementAndGet();
            } finally {
                lock.unlock();
            }
            fire(due);
            if (running.decrementAndGet() != 0) {
                return;
            }
        }
    }

    /** Moves time forward by {@code nanos}, firing every timer due on the way, in deadline order. */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot move virtual time backwards: " + nanos + " ns");
        }
        long target = plus(now, nanos);
        List<TimerEntry> due = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                TimerEntry first = heap.peek();
                if (first == null || first.deadline > target) {
                    now = target;
                    return;
                }
                if (first.deadline > now) {
                    now = first.deadline;
                }
                collectDue(due);
            } finally {
                lock.unlock();
            }
            fire(due);
        }
    }

    private void collectDue(List<TimerEntry> due) {
        TimerEntry e;
        while ((e = heap.peek()) != null && e.deadline <= now) {
            due.add(heap.poll());
        }
    }

    private static void fire(List<TimerEntry> due) {
        for (TimerEntry e : due) {
            try {
                e.action.run();
            } catch (Throwable t) {
                System.getLogger("dev.weft.timer").log(System.Logger.Level.ERROR, "a Weft timer action failed", t);
            }
        }
        due.clear();
    }
}
