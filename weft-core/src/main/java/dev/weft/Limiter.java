package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.ThreadState;
import dev.weft.internal.debug.DebugHooks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounded concurrency: asyncio's {@code Semaphore}, Trio's {@code CapacityLimiter}.
 *
 * {@snippet :
 * Limiter limiter = Limiter.of(10);
 * try (Limiter.Permit p = limiter.acquire()) {
 *     return call(host);
 * }
 * // or: limiter.run(() -> call(host));
 * }
 *
 * <h2>Fairness</h2> Strictly FIFO, no barging: a permit released while threads wait goes to the
 * longest waiter, and {@link #tryAcquire()} fails while anyone waits.
 *
 * <h2>Capacity</h2> Adjustable at run time with {@link #setCapacity}; lowering it below the permits
 * in use takes effect as they are released (nobody is pre-empted).
 *
 * <h2>Cancellation and deadlines</h2> {@link #acquire()} is a Weft wait: it fails at once inside a
 * cancelled scope (level-triggered), and waits no longer than {@link Deadline#current()} (the
 * scope's deadline cancels it). A waiter cancelled while blocked leaves no permit lost and none
 * duplicated: if a permit was handed to it in the same instant, it is passed on to the next waiter.
 *
 * <h2>Design</h2> One lock guards the capacity, the count in use and a FIFO queue of waiter nodes.
 * Release hands the permit directly to the head waiter (marking its node granted) instead of
 * returning it to a pool, which is what makes barging impossible. Permits are objects, closed at
 * most once, and may be released by any thread.
 */
public final class Limiter {
    private static final VarHandle GRANTED;

    static {
        try {
            GRANTED = MethodHandles.lookup().findVarHandle(Waiter.class, "granted", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int capacity; // guarded by lock
    private int inUse; // guarded by lock

    private static final class Waiter {
        final ThreadState st;
        volatile int granted; // 0 waiting, 1 granted, 2 abandoned

        Waiter(ThreadState st) {
            this.st = st;
        }
    }

    private Limiter(int capacity) {
        this.capacity = capacity;
    }

    /**
     * A limiter with {@code capacity} permits.
     *
     * @param capacity how many permits may be held at once (0: none until raised)
     * @return a new limiter with no permit held
     * @throws IllegalArgumentException if {@code capacity} is negative
     */
    public static Limiter of(int capacity) {
        return new Limiter(checkCapacity(capacity));
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("limiter capacity must be >= 0 (0 pauses all acquirers), got " + capacity);
        }
        return capacity;
    }

    /**
     * Waits for a permit, in FIFO order.
     *
     * @return the permit; release it (close it) exactly once, on any thread
     * @throws InterruptedException if the caller is cancelled (or its deadline passes) while waiting;
     *     no permit is then held
     */
    public Permit acquire() throws InterruptedException {
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Waiter w;
        lock.lock();
        try {
            if (waiters.isEmpty() && inUse < capacity) {
                inUse++;
                return new Permit(this);
            }
            w = new Waiter(st);
            waiters.addLast(w);
        } finally {
            lock.unlock();
        }
        if (DebugHooks.ON) {
            String prev = DebugHooks.beginWait(toString());
            try {
                return await(w, st, Clock.NONE);
            } finally {
                DebugHooks.endWait(prev);
            }
        }
        return await(w, st, Clock.NONE);
    }

    /**
     * A permit if one is free and nobody waits; empty otherwise. Never blocks.
     *
     * @return a held permit, or empty if none was free or another thread was waiting
     */
    public Optional<Permit> tryAcquire() {
        lock.lock();
        try {
            if (waiters.isEmpty() && inUse < capacity) {
                inUse++;
                return Optional.of(new Permit(this));
            }
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits at most {@code maxWait} (and no longer than {@link Deadline#current()}) for a permit.
     *
     * @return the permit, or empty if {@code maxWait} passed first
     * @param maxWait the longest to wait; zero or negative tries once without waiting
     * @throws InterruptedException if the caller is cancelled while waiting
     */
    public Optional<Permit> tryAcquire(Duration maxWait) throws InterruptedException {
        Objects.requireNonNull(maxWait, "maxWait");
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Clock c = st.clock();
        long deadline = Clock.plus(c.nanoTime(), VirtualTime.saturatedNanos(maxWait)); // computed on entry
        Waiter w;
        lock.lock();
        try {
            if (waiters.isEmpty() && inUse < capacity) {
                inUse++;
                return Optional.of(new Permit(this));
            }
            if (maxWait.isNegative() || maxWait.isZero()) {
                return Optional.empty();
            }
            w = new Waiter(st);
            waiters.addLast(w);
        } finally {
            lock.unlock();
        }
        Permit p = await(w, st, deadline);
        return Optional.ofNullable(p);
    }

    private Permit await(Waiter w, ThreadState st, long deadline) throws InterruptedException {
        Clock c = st.clock();
        try {
            while (w.granted != 1) {
                if (deadline != Clock.NONE && deadline - c.nanoTime() <= 0) {
                    if (abandon(w)) {
                        return null;
                    }
                    break; // granted in the same instant: keep it
                }
                st.park(this, deadline);
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            if (!abandon(w)) {
                releaseOne(); // it was granted as we were cancelled: pass it on, nothing is lost
            }
            throw e;
        }
        return new Permit(this);
    }

    /** Leaves the queue; returns false if the permit had already been granted to {@code w}. */
    private boolean abandon(Waiter w) {
        lock.lock();
        try {
            if (GRANTED.compareAndSet(w, 0, 2)) {
                waiters.remove(w);
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void releaseOne() {
        Waiter next = null;
        lock.lock();
        try {
            if (inUse <= capacity) {
                next = grantHead();
            }
            if (next == null) {
                inUse--;
            }
        } finally {
            lock.unlock();
        }
        if (next != null) {
            next.st.wake();
        }
    }

    private Waiter grantHead() { // holds lock; the permit in hand moves to the head waiter
        Waiter w = waiters.pollFirst();
        if (w != null) {
            w.granted = 1;
        }
        return w;
    }

    /**
     * Runs {@code work} holding a permit.
     *
     * @param <T> the work's result type
     * @param <E> the checked exception the work may throw
     * @param work the code to run while the permit is held; the permit is released when it ends
     * @return the work's value
     * @throws E the work's own exception, unchanged
     * @throws InterruptedException if the caller is cancelled while waiting for the permit (the work
     *     does not run)
     */
    public <T, E extends Exception> T run(Work<T, E> work) throws E, InterruptedException {
        try (Permit _ = acquire()) {
            return work.call();
        }
    }

    /**
     * Sets the capacity; raising it admits waiters at once, lowering it takes effect as permits are
     * released.
     *
     * @param newCapacity the new number of permits; must not be negative
     * @throws IllegalArgumentException if {@code newCapacity} is negative
     */
    public void setCapacity(int newCapacity) {
        checkCapacity(newCapacity);
        ArrayDeque<Waiter> admitted = new ArrayDeque<>();
        lock.lock();
        try {
            capacity = newCapacity;
            while (inUse < capacity && !waiters.isEmpty()) {
                inUse++;
                admitted.add(grantHead());
            }
        } finally {
            lock.unlock();
        }
        for (Waiter w : admitted) {
            w.st.wake();
        }
    }

    /**
     * The capacity.
     *
     * @return the current capacity
     */
    public int capacity() {
        lock.lock();
        try {
            return capacity;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Permits held now.
     *
     * @return the number of permits held now, which may exceed the capacity after it was lowered
     */
    public int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Permits free now (0 while over capacity).
     *
     * @return the number of permits that could be granted now, never negative
     */
    public int available() {
        lock.lock();
        try {
            return Math.max(0, capacity - inUse);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Threads waiting now.
     *
     * @return the number of threads blocked in {@code acquire} now
     */
    public int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Limiter[capacity=" + capacity + ", inUse=" + inUse + ", waiting=" + waiters.size() + "]";
        } finally {
            lock.unlock();
        }
    }

    /** A held permit; {@link #close()} releases it (once; later calls do nothing). */
    public static final class Permit implements AutoCloseable {
        private static final VarHandle RELEASED;

        static {
            try {
                RELEASED = MethodHandles.lookup().findVarHandle(Permit.class, "released", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Limiter limiter;
        private volatile boolean released;

        private Permit(Limiter limiter) {
            this.limiter = limiter;
        }

        /** Releases the permit to the longest waiter, or back to the limiter. */
        @Override
        public void close() {
            if (RELEASED.compareAndSet(this, false, true)) {
                limiter.releaseOne();
            }
        }

        /**
         * Whether it has been released.
         *
         * @return {@code true} once the permit has been released
         */
        public boolean isReleased() {
            return released;
        }
    }
}
