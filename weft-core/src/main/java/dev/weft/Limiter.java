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
 * <h2>Design</h2> The capacity, the count of permits out, a "somebody waits" bit and a "cells
 * closed" bit share one {@code long} ({@code state}), changed only by CAS. Free permits that have
 * been released are kept in a few padded cells (a striped semaphore, like {@code LongAdder}'s cells):
 * while the cells are open, a thread acquires from and releases to its own cell (one CAS on a cache
 * line no other core writes), takes from another cell when its own is empty, and from the central
 * count when no cell has one (ADR 0013: the one shared word cost 114-118 ns per call and core at 8
 * threads against 18-21 ns at 1). A lock guards the FIFO queue of waiter nodes. Whoever must wait,
 * change the capacity or read an exact count closes every cell under the lock (one atomic swap each,
 * moving its free permits to the central count) before it decides; a waiter then sets the waiting
 * bit and enqueues, so every later release finds its cell closed and the bit set and takes the slow
 * path under the same lock, where it hands the permit directly to the head waiter (marking its node
 * granted) instead of returning it to a pool, which is what makes barging impossible. A cell's count
 * and its closed mark are one word, so a releaser's CAS into a cell either lands before the close
 * (and the waiter's swap collects the permit) or fails and sends the releaser to the central word,
 * where the waiting bit is: no permit can be left in a cell while someone waits. The cells open again,
 * under the lock, when nobody waits and a quarter of the capacity is free. Permits are objects,
 * closed at most once, and may be released by any thread.
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="limiter"}
 */
public final class Limiter {
    private static final VarHandle GRANTED;
    private static final VarHandle STATE;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

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
    /** Bits 0-30 of {@code state}: permits out of the central count (held, or free in a cell). */
    private static final long OUT = WAITING - 1;
    /** The "cells are closed" bit of {@code state} (bit 63); set and cleared only under the lock. */
    private static final long CLOSED = Long.MIN_VALUE;
    /** A closed cell's value; an open cell holds its count of free permits (>= 0). */
    private static final long CLOSED_CELL = Long.MIN_VALUE;
    /** Longs per cell: 128 bytes, so two cells never share a cache line (nor an adjacent-line prefetch pair). */
    private static final int STRIDE_SHIFT = 4;
    private static final int CELLS = cellCount(Runtime.getRuntime().availableProcessors());

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by lock
    private final WaitTally waits = new WaitTally(); // waits ended (granted, timed out or cancelled)
    /**
     * Free permits spread over {@code CELLS} padded cells (cell i at index {@code (i + 1) << STRIDE_SHIFT}),
     * each {@code >= 0} (open, that many free permits) or {@link #CLOSED_CELL}; changed by CAS only.
     * Closed all together and opened all together, under the lock. The long after each cell counts
     * the permits made by the threads of that cell ({@link #acquired()}): on the line the acquirer
     * has just written, where a {@code LongAdder} (as many cells as processors) was one more line
     * shared by the threads.
     */
    private final long[] cells = new long[(CELLS + 2) << STRIDE_SHIFT];
    /** CLOSED | capacity (bits 32-62) | WAITING | permits out (bits 0-30); changed by CAS only. */
    private volatile long state;

    private static int cellCount(int cpus) {
        int n = Integer.highestOneBit(Math.max(1, cpus) * 4 - 1) << 1; // next power of two >= 4 x cpus
        return Math.clamp(n, 4, 32);
    }

    private static int capacityOf(long s) {
        return (int) ((s >>> 32) & 0x7FFF_FFFFL);
    }

    private static int outOf(long s) {
        return (int) (s & OUT);
    }

    private static boolean waitingOf(long s) {
        return (s & WAITING) != 0;
    }

    private static boolean closedOf(long s) {
        return (s & CLOSED) != 0;
    }

    /** Index in {@code cells} of the calling thread's home cell, shifted by {@code probe}. */
    private static int cellIndex(int probe) {
        int h = (int) Thread.currentThread().threadId() + probe;
        return ((h & (CELLS - 1)) + 1) << STRIDE_SHIFT;
    }

    /**
     * Takes a permit without the lock if one is free and nobody waits: from the caller's cell, else
     * from another cell, else from the central count. May fail although a permit is free (a permit
     * can move between cells while they are scanned); callers that must not fail then take the lock.
     */
    private boolean tryFast() {
        long[] c = cells;
        for (int i = closedOf(state) ? CELLS : 0; i < CELLS; i++) { // CLOSED: every cell is closed, skip them
            int idx = cellIndex(i);
            long v = (long) CELL.getVolatile(c, idx);
            while (v > 0) { // open, with a free permit (a closed cell is negative)
                long w = (long) CELL.compareAndExchange(c, idx, v, v - 1);
                if (w == v) {
                    return true;
                }
                v = w;
            }
        }
        return takeCentral();
    }

    /** Takes a permit from the central count by CAS if one is free there and nobody waits. */
    private boolean takeCentral() {
        long s = state;
        while (!waitingOf(s) && outOf(s) < capacityOf(s)) {
            long w = (long) STATE.compareAndExchange(this, s, s + 1);
            if (w == s) {
                return true;
            }
            s = w;
        }
        return false;
    }

    /**
     * Whether a failed {@link #tryFast()} is final: somebody waits, or the cells are closed (so the
     * central count is every permit) and none is free. Otherwise the lock settles it.
     */
    private static boolean failedForSure(long s) {
        return waitingOf(s) || (closedOf(s) && outOf(s) >= capacityOf(s));
    }

    /**
     * Holds the lock: closes every cell and moves its free permits to the central count, so that
     * count is exact until the cells open again. Every cell is closed before CLOSED is set.
     */
    private void closeCells() {
        if (closedOf(state)) {
            return;
        }
        long[] c = cells;
        long free = 0;
        for (int i = 0; i < CELLS; i++) {
            long v = (long) CELL.getAndSet(c, (i + 1) << STRIDE_SHIFT, CLOSED_CELL);
            if (v > 0) {
                free += v;
            }
        }
        long s = state;
        while (true) {
            long w = (long) STATE.compareAndExchange(this, s, (s - free) | CLOSED);
            if (w == s) {
                return;
            }
            s = w;
        }
    }

    /**
     * Holds the lock: opens the cells again if nobody waits and a quarter of the capacity (at least
     * one permit) is free. Open cells need permits out <= capacity (a release into a cell keeps the
     * permit); only a central acquire raises that count, never past the capacity, and the capacity
     * is lowered only with the cells closed. CLOSED is cleared before any cell opens.
     */
    private void maybeOpenCells() {
        long s = state;
        while (closedOf(s) && mayOpen(s)) {
            long w = (long) STATE.compareAndExchange(this, s, s & ~CLOSED);
            if (w == s) {
                long[] c = cells;
                for (int i = 0; i < CELLS; i++) {
                    CELL.setVolatile(c, (i + 1) << STRIDE_SHIFT, 0L);
                }
                return;
            }
            s = w;
        }
    }

    private static boolean mayOpen(long s) {
        int cap = capacityOf(s);
        return !waitingOf(s) && cap - outOf(s) >= Math.max(1, cap >>> 2);
    }

    /** Holds the lock: takes a permit if one is free (none can be while anyone waits), else sets WAITING and enqueues. */
    private Waiter takeOrEnqueue(ThreadState st) {
        closeCells();
        long s = state;
        while (true) {
            long w;
            if (!waitingOf(s) && outOf(s) < capacityOf(s)) {
                w = (long) STATE.compareAndExchange(this, s, s + 1);
                if (w == s) {
                    maybeOpenCells();
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

    /** Holds the lock: takes a permit if one is free and nobody waits; never enqueues. */
    private boolean takeLocked() {
        closeCells();
        try {
            return takeCentral();
        } finally {
            maybeOpenCells();
        }
    }

    /** A permit if one is free and nobody waits, without waiting; the lock settles what the cells cannot. */
    private boolean tryTake() {
        if (tryFast()) {
            return true;
        }
        if (failedForSure(state)) {
            return false;
        }
        lock.lock();
        try {
            return takeLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Holds the lock: adds {@code delta} to the permits out, clears WAITING if the queue is empty, then may open the cells. */
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
                break;
            }
            s = w;
        }
        maybeOpenCells();
    }

    /** The state word with every cell closed (exact count), read under the lock; the cells may open again after. */
    private long exactState() {
        long s = state;
        if (closedOf(s)) { // every cell is closed at this read: the central count is every permit out
            return s;
        }
        lock.lock();
        try {
            closeCells();
            s = state;
            maybeOpenCells();
            return s;
        } finally {
            lock.unlock();
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
        return tryTake() ? Optional.of(new Permit(this)) : Optional.empty();
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
        if (maxWait.isNegative() || maxWait.isZero()) {
            return tryAcquire();
        }
        if (tryFast()) {
            return Optional.of(new Permit(this));
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
        long[] c = cells;
        int idx = cellIndex(0);
        long v = (long) CELL.getVolatile(c, idx);
        while (v >= 0) { // the caller's cell is open: nobody waits and the permit may stay free there
            long w = (long) CELL.compareAndExchange(c, idx, v, v + 1);
            if (w == v) {
                return;
            }
            v = w;
        }
        long s = state;
        while (!waitingOf(s)) { // cells closed, nobody waits: give the permit back to the central count
            long w = (long) STATE.compareAndExchange(this, s, s - 1);
            if (w == s) {
                if (closedOf(w) && mayOpen(w - 1)) { // enough is free again to spread over the cells
                    lock.lock();
                    try {
                        maybeOpenCells();
                    } finally {
                        lock.unlock();
                    }
                }
                return;
            }
            s = w;
        }
        Waiter next = null;
        lock.lock();
        try {
            s = state; // somebody waits, so the cells are closed and stay closed: the count is exact
            if (outOf(s) <= capacityOf(s)) {
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
        long[] c = cells;
        long n = 0;
        for (int i = 0; i < CELLS; i++) {
            n += (long) CELL.getVolatile(c, ((i + 1) << STRIDE_SHIFT) + 1);
        }
        return n;
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
            closeCells(); // a lower capacity must not meet a permit released into an open cell
            long s = state;
            while (true) { // the new capacity, by CAS: central acquirers and releasers do not take the lock
                long n = ((long) newCapacity << 32) | (s & (CLOSED | WAITING | OUT));
                long w = (long) STATE.compareAndExchange(this, s, n);
                if (w == s) {
                    break;
                }
                s = w;
            }
            int admit = 0;
            while (outOf(state) + admit < newCapacity && !waiters.isEmpty()) {
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
     * Permits held now. Exact (linearizable): unless the per-thread cells of free permits are closed
     * already, it takes the limiter's lock and collects them first, so it is meant for monitoring,
     * not for a hot loop.
     *
     * @return the number of permits held now, which may exceed the capacity after it was lowered
     */
    public int inUse() {
        return outOf(exactState());
    }

    /**
     * Permits free now (0 while over capacity). Exact, at the cost described at {@link #inUse()}.
     *
     * @return the number of permits that could be granted now, never negative
     */
    public int available() {
        long s = exactState();
        return Math.max(0, capacityOf(s) - outOf(s));
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
            closeCells();
            long s = state;
            maybeOpenCells();
            return "Limiter[capacity=" + capacityOf(s) + ", inUse=" + outOf(s) + ", waiting=" + waiters.size() + "]";
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
            CELL.getAndAdd(limiter.cells, cellIndex(0) + 1, 1L);
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
