package dev.weft.channel;

import dev.weft.internal.Clock;
import dev.weft.internal.ThreadState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A flag tasks can wait for: asyncio's {@code Event}. {@link #set()} wakes every waiter; the flag
 * stays set until {@link #clear()} (resettable, unlike a {@code CountDownLatch}). Waits are Weft
 * waits: cancellable, level-triggered, bounded by {@link dev.weft.Deadline#current()}, and on
 * virtual time in tests. For locks, conditions, semaphores and barriers use the JDK's
 * ({@code ReentrantLock}, {@code Condition}, {@code CyclicBarrier}, {@code Phaser}): they work on
 * virtual threads.
 */
public final class Event {
    private final List<ThreadState> waiters = new ArrayList<>(); // guarded by this
    private volatile boolean set;

    /** Sets the flag and wakes every waiter. */
    public void set() {
        List<ThreadState> wake;
        synchronized (this) {
            if (set) {
                return;
            }
            set = true;
            wake = new ArrayList<>(waiters);
            waiters.clear();
        }
        wake.forEach(ThreadState::wake);
    }

    /** Clears the flag: later waits block until the next {@link #set()}. */
    public void clear() {
        set = false;
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return set;
    }

    /** Waits until the flag is set. */
    public void await() throws InterruptedException {
        await(Clock.NONE);
    }

    /** Waits at most {@code timeout}; returns whether the flag was set. */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Clock c = ThreadState.current().clock();
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE;
        }
        return await(Clock.plus(c.nanoTime(), Math.max(0, nanos)));
    }

    private boolean await(long deadline) throws InterruptedException {
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Clock c = st.clock();
        try {
            while (!set) {
                synchronized (this) {
                    if (set) {
                        break;
                    }
                    if (!waiters.contains(st)) {
                        waiters.add(st);
                    }
                }
                if (deadline != Clock.NONE && deadline - c.nanoTime() <= 0) {
                    return false;
                }
                st.park(this, deadline);
            }
            return true;
        } finally {
            synchronized (this) {
                waiters.remove(st);
            }
        }
    }
}
