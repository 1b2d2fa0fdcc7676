package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.ThreadState;
import dev.weft.internal.WaitTally;
import dev.weft.internal.debug.DebugHooks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
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
 * <h2>Design</h2> The capacity, the count in use and a "somebody waits" bit share one {@code long}
 * ({@code state}), changed only by CAS. While nobody waits, acquire and release are one CAS each and
 * take no lock (ADR 0012: one lock cost 107 ns per call at 8 threads against 49 ns at 1, threads
 * queueing on it). A lock guards the FIFO queue of waiter nodes: an acquirer that finds no permit
 * sets the waiting bit by CAS under the lock and enqueues, so every later release sees the bit and
 * takes the slow path under the same lock, where it hands the permit directly to the head waiter
 * (marking its node granted) instead of returning it to a pool, which is what makes barging
 * impossible; the bit is cleared, under the lock, when the queue empties. Capacity changes are CAS
 * on the same word, so an acquire never reads a capacity and a count from two moments. Permits are
 * objects, closed at most once, and may be released by any thread.
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="limiter"}
 */
public final class Limiter {
    private static final VarHandle GRANTED;
    private static final VarHandle STATE;

    static {
        try {
            GRANTED = MethodHandles.lookup().findVarHandle(Waiter.class, "granted", int.class);
            STATE = MethodHandles.lookup().findVarHandle(Limiter.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The "somebody waits" bit of {@code state}; set and cleared only under the lock. */
    private static final long WAITING = 1L << 31;
    private static final long IN_USE = WAITING - 1;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by lock
    private final LongAdder acquiredCount = new LongAdder(); // permits handed out (one per Permit made)
    private final WaitTally waits = new WaitTally(); // waits ended (granted, timed out or cancelled)
    /** capacity (bits 32-62) | WAITING | permits in use (bits 0-30); changed by CAS only. */
    private volatile long state;

    private static int capacityOf(long s) {
        return (int) (s >>> 32);
    }

    private static int inUseOf(long s) {
        return (int) (s & IN_USE);
    }

    private static boolean waitingOf(long s) {
        return (s & WAITING) != 0;
    }

    /** Takes a permit by CAS if one is free and nobody waits. */
    private boolean tryFast() {
        long s = state;
        while (!waitingOf(s) && inUseOf(s) < capacityOf(s)) {
            long w = (long) STATE.compareAndExchange(this, s, s + 1);
            if (w == s) {
                return true;
            }
            s = w;
        }
        return false;
    }

    /** Holds the lock: takes a permit if one is free (none can be while anyone waits), else sets WAITING and enqueues. */
    private Waiter takeOrEnqueue(ThreadState st) {
        long s = state;
        while (true) {
            long w;
            if (!waitingOf(s) && inUseOf(s) < capacityOf(s)) {
                w = (long) STATE.compareAndExchange(this, s, s + 1);
                if (w == s) {
                    return null;
                }
            } else {
                w = (long) STATE.compareAndExchange(this, s, s | WAITING);
                if (w == s) {
                    Waiter n = new Waiter(st);
                    waiters.addLast(n);
                    return n;
                }
            }
            s = w;
        }
    }

    /** Holds the lock: adds {@code delta} to the permits in use and clears WAITING if the queue is empty. */
    private void update(int delta) {
        boolean empty = waiters.isEmpty();
        long s = state;
        while (true) {
            long n = s + delta;
            if (empty) {
                n &= ~WAITING;
            }
            long w = (long) STATE.compareAndExchange(this, s, n);
            if (w == s) {
                return;
            }
            s = w;
        }
    }

    private static final class Waiter {
        final ThreadState st;
        final long since; // read before the waiter is queued, so a grant cannot come before it
        volatile int granted; // 0 waiting, 1 granted, 2 abandoned

        Waiter(ThreadState st) {
            this.st = st;
            this.since = st.clock().nanoTime();
        }
    }

    private Limiter(int capacity) {
        this.state = (long) capacity << 32;
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
        if (tryFast()) {
            return new Permit(this);
        }
        Waiter w;
        lock.lock();
        try {
            w = takeOrEnqueue(st);
        } finally {
            lock.unlock();
        }
        if (w == null) {
            return new Permit(this);
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
        return tryFast() ? Optional.of(new Permit(this)) : Optional.empty();
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
        if (tryFast()) {
            return Optional.of(new Permit(this));
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            return Optional.empty();
        }
        Waiter w;
        lock.lock();
        try {
            w = takeOrEnqueue(st);
        } finally {
            lock.unlock();
        }
        if (w == null) {
            return Optional.of(new Permit(this));
        }
        Permit p = await(w, st, deadline);
        return Optional.ofNullable(p);
    }

    private Permit await(Waiter w, ThreadState st, long deadline) throws InterruptedException {
        Clock c = st.clock();
        try {
            return awaitGrant(w, st, c, deadline);
        } finally {
            waits.record(c, w.since);
        }
    }

    private Permit awaitGrant(Waiter w, ThreadState st, Clock c, long deadline) throws InterruptedException {
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
                if (waiters.isEmpty()) {
                    update(0);
                }
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void releaseOne() {
        long s = state;
        while (!waitingOf(s)) { // nobody waits: give the permit back by CAS
            long w = (long) STATE.compareAndExchange(this, s, s - 1);
            if (w == s) {
                return;
            }
            s = w;
        }
        Waiter next = null;
        lock.lock();
        try {
            s = state;
            if (inUseOf(s) <= capacityOf(s)) {
                next = grantHead();
            }
            update(next == null ? -1 : 0); // a granted permit stays in use, moved to its waiter
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
     * Permits handed out since the limiter was made: taken at once plus granted after a wait. A
     * waiter cancelled in the instant its permit was granted passes the permit on; only the waiter
     * that keeps it is counted.
     *
     * @return the number of permits acquired so far (monotonic)
     */
    public long acquired() {
        return acquiredCount.sum();
    }

    /**
     * Waits that have ended since the limiter was made, however they ended (a permit, a timeout of
     * {@link #tryAcquire(Duration)}, a cancellation). Acquisitions that did not wait are not counted.
     *
     * @return the number of ended waits (monotonic)
     */
    public long waitCount() {
        return waits.count();
    }

    /**
     * Total time of the waits counted by {@link #waitCount()}, measured on each waiter's clock
     * ({@link VirtualTime} inside a virtual-time run).
     *
     * @return the summed wait time in nanoseconds (monotonic)
     */
    public long waitTimeNanos() {
        return waits.nanos();
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
            long s = state;
            while (true) { // the new capacity, by CAS: fast-path acquirers and releasers do not take the lock
                long n = ((long) newCapacity << 32) | (s & (WAITING | IN_USE));
                long w = (long) STATE.compareAndExchange(this, s, n);
                if (w == s) {
                    break;
                }
                s = w;
            }
            int admit = 0;
            while (inUseOf(state) + admit < newCapacity && !waiters.isEmpty()) {
                admit++;
                admitted.add(grantHead());
            }
            update(admit);
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
        return capacityOf(state);
    }

    /**
     * Permits held now.
     *
     * @return the number of permits held now, which may exceed the capacity after it was lowered
     */
    public int inUse() {
        return inUseOf(state);
    }

    /**
     * Permits free now (0 while over capacity).
     *
     * @return the number of permits that could be granted now, never negative
     */
    public int available() {
        long s = state;
        return Math.max(0, capacityOf(s) - inUseOf(s));
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
            long s = state;
            return "Limiter[capacity=" + capacityOf(s) + ", inUse=" + inUseOf(s) + ", waiting=" + waiters.size() + "]";
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
            limiter.acquiredCount.increment();
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
