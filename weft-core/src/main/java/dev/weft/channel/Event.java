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
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="event"}
 */
public final class Event {
    // Design: a waiter records the generation it started in and returns once the flag is set or the
    // generation has moved on. set() moves it on (under the lock) when it turns the flag on, so
    // set() followed at once by clear() still releases every thread that was waiting when set()
    // ran (asyncio: "set wakes every waiter"); without the generation a woken waiter re-read the
    // cleared flag and went back to sleep.

    private final List<ThreadState> waiters = new ArrayList<>(); // guarded by this
    private volatile boolean set;
    private volatile long generation; // written under this

    /** Creates an event whose flag is clear, with no waiter. */
    public Event() {
    }

    /** Sets the flag and wakes every waiter: each returns from its wait, even if the flag is cleared at once. */
    public void set() {
        List<ThreadState> wake;
        synchronized (this) {
            if (set) {
                return;
            }
            generation++;
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

    /**
     * How many threads wait on this event now (for tests and diagnostics).
     *
     * @return the number of threads blocked in {@link #await()} now
     */
    public synchronized int waiting() {
        return waiters.size();
    }

    /**
     * Whether the flag is set.
     *
     * @return {@code true} if the flag is set
     */
    public boolean isSet() {
        return set;
    }

    /**
     * Waits until the flag is set, or until a {@link #set()} that ran during the wait (even if {@link #clear()} followed at once).
     *
     * @throws InterruptedException if the caller is cancelled (or its deadline passes) while waiting
     */
    public void await() throws InterruptedException {
        await(Clock.NONE);
    }

    /**
     * Waits at most {@code timeout}; returns whether the flag was set (or a {@link #set()} ran) during the wait.
     *
     * @param timeout the longest to wait; zero or negative checks the flag without waiting
     * @return {@code true} if the flag was set or a {@link #set()} ran during the wait, {@code false} if
     *     the timeout passed first
     * @throws InterruptedException if the caller is cancelled (or its deadline passes) while waiting
     */
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
        if (set) {
            return true;
        }
        Clock c = st.clock();
        long started;
        synchronized (this) {
            if (set) {
                return true;
            }
            started = generation;
        }
        try {
            while (!set && generation == started) {
                synchronized (this) {
                    if (set || generation != started) {
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
