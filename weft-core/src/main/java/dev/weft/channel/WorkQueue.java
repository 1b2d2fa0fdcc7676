package dev.weft.channel;

import dev.weft.internal.Clock;
import dev.weft.internal.Handoff;
import dev.weft.internal.ThreadState;
import dev.weft.internal.WaitTally;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A producer-consumer work queue with completion tracking: asyncio's {@code Queue},
 * {@code LifoQueue} and {@code PriorityQueue}, with Python 3.13's {@code shutdown}.
 *
 * {@snippet :
 * WorkQueue<Url> queue = WorkQueue.fifo(100);
 * TaskGroup.run(g -> {
 *     for (int i = 0; i < 8; i++) {
 *         g.spawn(() -> {
 *             while (true) {
 *                 Url u = queue.get();           // QueueShutdownException ends the worker
 *                 try { crawl(u, queue); } finally { queue.taskDone(); }
 *             }
 *         });
 *     }
 *     queue.put(seed);
 *     queue.join();                              // every item put has been marked done
 *     queue.shutdown();
 *     return null;
 * });
 * }
 *
 * <h2>Order</h2> FIFO, LIFO, or by priority (smallest first); bounded ({@code maxSize} &gt; 0) or
 * unbounded. Blocked putters and getters are served FIFO, and an item put while a getter waits is
 * handed to that getter ({@link #tryGet()} cannot take it).
 *
 * <h2>Completion</h2> Every {@link #put} raises the count of unfinished items; {@link #taskDone()}
 * lowers it (and throws if nothing is outstanding); {@link #join()} waits until it is zero (at once
 * for a queue with nothing outstanding).
 *
 * <h2>Shutdown</h2> {@link #shutdown()}: blocked and later puts throw
 * {@link QueueShutdownException}; gets return the remaining items, then throw; {@code join()} still
 * waits for items already handed out. {@link #shutdown(boolean) shutdown(true)}: also drains the
 * queue, lowering the unfinished count by the drained items, and wakes everyone.
 *
 * <h2>Cancellation</h2> {@code put} and {@code get} are Weft waits (level-triggered, bounded by
 * {@link dev.weft.Deadline#current()}). A cancelled getter either got the item (returned, interrupt
 * flag set again) or it is still queued; a cancelled putter either queued its item (returns) or not
 * (throws).
 *
 * <h2>Design</h2> One lock guards the item store, the unfinished count and FIFO queues of blocked
 * getters, putters and joiners; waking happens after the lock is released. The interface is the
 * contract a remote backend (a work queue shared by several JVMs, such as one on Redis Streams)
 * would honour: blocking, cancellation, deadlines and shutdown.
 *
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="work-queue"}
 *
 * @param <T> the type of the items
 */
public final class WorkQueue<T> {
    private static final int WAITING = 0;
    private static final int GRANTED = 1;
    private static final int SHUTDOWN = 2;
    private static final int ABANDONED = 3;

    private static final class Node<T> {
        final ThreadState st;
        T item;
        volatile int state = WAITING;

        Node(ThreadState st, T item) {
            this.st = st;
            this.item = item;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<T> items;
    private final boolean lifo;
    private final int maxSize;
    private final ArrayDeque<Node<T>> getters = new ArrayDeque<>();
    private final ArrayDeque<Node<T>> putters = new ArrayDeque<>();
    private final List<ThreadState> joiners = new ArrayList<>();
    private long unfinished;
    private boolean shutdown;
    private long added; // guarded by lock: items queued (or handed to a getter) since creation
    private long taken; // guarded by lock: items handed to getters since creation
    private long done; // guarded by lock: taskDone calls since creation
    private final WaitTally putWaits = new WaitTally();
    private final WaitTally getWaits = new WaitTally();

    private WorkQueue(Queue<T> items, boolean lifo, int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be >= 0 (0 means unbounded), got " + maxSize);
        }
        this.items = items;
        this.lifo = lifo;
        this.maxSize = maxSize;
    }

    /**
     * First in, first out; {@code maxSize} 0 means unbounded.
     *
     * @param <T> the item type
     * @param maxSize the bound, or 0 for unbounded
     * @return a new, empty queue
     */
    public static <T> WorkQueue<T> fifo(int maxSize) {
        return new WorkQueue<>(new ArrayDeque<>(), false, maxSize);
    }

    /**
     * Last in, first out (a stack); {@code maxSize} 0 means unbounded.
     *
     * @param <T> the item type
     * @param maxSize the bound, or 0 for unbounded
     * @return a new, empty queue
     */
    public static <T> WorkQueue<T> lifo(int maxSize) {
        return new WorkQueue<>(new ArrayDeque<>(), true, maxSize);
    }

    /**
     * Smallest first by {@code order}; {@code maxSize} 0 means unbounded.
     *
     * @param <T> the item type
     * @param maxSize the bound, or 0 for unbounded
     * @param order orders the items; the smallest is taken first
     * @return a new, empty queue
     */
    public static <T> WorkQueue<T> priority(int maxSize, Comparator<? super T> order) {
        Objects.requireNonNull(order, "order");
        return new WorkQueue<>(new PriorityQueue<>(order), false, maxSize);
    }

    /**
     * Smallest first by natural order; {@code maxSize} 0 means unbounded.
     *
     * @param <T> the item type
     * @param maxSize the bound, or 0 for unbounded
     * @return a new, empty queue
     */
    public static <T extends Comparable<? super T>> WorkQueue<T> priority(int maxSize) {
        return priority(maxSize, Comparator.naturalOrder());
    }

    private static <T> T checkItem(T item) {
        if (item == null) {
            throw new NullPointerException("work queues do not hold null");
        }
        return item;
    }

    private boolean full() {
        return maxSize > 0 && items.size() >= maxSize;
    }

    private void store(T item) { // holds lock
        if (lifo) {
            ((ArrayDeque<T>) items).addFirst(item);
        } else {
            items.add(item);
        }
    }

    /** Under lock: abandons an unmatched node; false if it was matched (or shut down) meanwhile. */
    private static <T> boolean abandon(Node<T> w, ArrayDeque<Node<T>> queue) {
        if (w.state != WAITING) {
            return false;
        }
        w.state = ABANDONED;
        queue.remove(w);
        return true;
    }

    private Node<T> firstWaiting(ArrayDeque<Node<T>> q) { // holds lock
        Node<T> n;
        while ((n = q.pollFirst()) != null) {
            if (n.state == WAITING) {
                return n;
            }
        }
        return null;
    }

    /**
     * Puts {@code item}, waiting for room in a bounded queue.
     *
     * @param item the item to queue
     * @throws QueueShutdownException if the queue is (or gets) shut down before the item is queued
     * @throws InterruptedException if the caller is cancelled first (the item was not queued)
     */
    public void put(T item) throws InterruptedException {
        checkItem(item);
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Node<T> w;
        long start = 0;
        Node<T> toWake;
        lock.lock();
        try {
            checkNotShutdown("put");
            toWake = putNow(item);
            if (toWake != null || !full()) {
                if (toWake == null) {
                    store(item);
                    unfinished++;
                    added++;
                }
                w = null;
            } else {
                w = new Node<>(st, item);
                start = st.clock().nanoTime(); // before the waiter is visible to a waker
                putters.addLast(w);
            }
        } finally {
            lock.unlock();
        }
        if (toWake != null) {
            toWake.st.wake();
        }
        if (w == null) {
            return;
        }
        try {
            Handoff.await(st, this, lock, () -> w.state != WAITING, () -> abandon(w, putters), false);
        } finally {
            putWaits.record(st.clock(), start);
        }
        if (w.state == SHUTDOWN) {
            throw new QueueShutdownException("cannot put: the queue was shut down while waiting for room");
        }
    }

    /** Under lock: hands {@code item} to a waiting getter if there is one (and counts it). */
    private Node<T> putNow(T item) {
        Node<T> g = firstWaiting(getters);
        if (g != null) {
            g.item = item;
            g.state = GRANTED;
            unfinished++;
            added++;
            taken++;
        }
        return g;
    }

    /**
     * Puts {@code item} if there is room now; returns whether it did (asyncio's {@code put_nowait}).
     *
     * @param item the item to queue
     * @return {@code true} if the item was queued, {@code false} if the queue was full
     */
    public boolean tryPut(T item) {
        checkItem(item);
        Node<T> toWake;
        lock.lock();
        try {
            checkNotShutdown("put");
            toWake = putNow(item);
            if (toWake == null) {
                if (full()) {
                    return false;
                }
                store(item);
                unfinished++;
                added++;
            }
        } finally {
            lock.unlock();
        }
        if (toWake != null) {
            toWake.st.wake();
        }
        return true;
    }

    private void checkNotShutdown(String what) {
        if (shutdown) {
            throw new QueueShutdownException("cannot " + what + ": the queue is shut down");
        }
    }

    /**
     * Takes the next item, waiting for one.
     *
     * @return the next item in the queue's order
     * @throws QueueShutdownException if the queue is shut down and empty
     * @throws InterruptedException if the caller is cancelled first (nothing was taken)
     */
    public T get() throws InterruptedException {
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Node<T> w;
        long start;
        Node<T> toWake = null;
        lock.lock();
        try {
            T item = items.poll();
            if (item != null) {
                taken++;
                toWake = admitPutter();
                return item;
            }
            if (shutdown) {
                throw new QueueShutdownException("cannot get: the queue is shut down and empty");
            }
            w = new Node<>(st, null);
            start = st.clock().nanoTime(); // before the waiter is visible to a waker
            getters.addLast(w);
        } finally {
            lock.unlock();
            if (toWake != null) {
                toWake.st.wake();
            }
        }
        try {
            Handoff.await(st, this, lock, () -> w.state != WAITING, () -> abandon(w, getters), false);
        } finally {
            getWaits.record(st.clock(), start);
        }
        if (w.state == SHUTDOWN) {
            throw new QueueShutdownException("cannot get: the queue was shut down while waiting");
        }
        return w.item;
    }

    /** Under lock: after a get made room, queues the first blocked putter's item. */
    private Node<T> admitPutter() {
        if (full()) {
            return null;
        }
        Node<T> p = firstWaiting(putters);
        if (p != null) {
            store(p.item);
            unfinished++;
            added++;
            p.state = GRANTED;
        }
        return p;
    }

    /**
     * The next item if one is queued now (asyncio's {@code get_nowait}).
     *
     * @return the next item, or empty if the queue is empty now
     */
    public Optional<T> tryGet() {
        Node<T> toWake = null;
        lock.lock();
        try {
            T item = items.poll();
            if (item == null) {
                if (shutdown) {
                    throw new QueueShutdownException("cannot get: the queue is shut down and empty");
                }
                return Optional.empty();
            }
            taken++;
            toWake = admitPutter();
            return Optional.of(item);
        } finally {
            lock.unlock();
            if (toWake != null) {
                toWake.st.wake();
            }
        }
    }

    /**
     * Marks one item taken by {@link #get} as processed.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        List<ThreadState> wake = null;
        lock.lock();
        try {
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called more times than there were items put");
            }
            unfinished--;
            done++;
            if (unfinished == 0) {
                wake = takeJoiners();
            }
        } finally {
            lock.unlock();
        }
        wakeAll(wake);
    }

    private List<ThreadState> takeJoiners() {
        List<ThreadState> w = new ArrayList<>(joiners);
        joiners.clear();
        return w;
    }

    private static void wakeAll(List<ThreadState> wake) {
        if (wake != null) {
            wake.forEach(ThreadState::wake);
        }
    }

    /**
     * Waits until every item put has been marked done (returns at once if none is outstanding).
     *
     * @throws InterruptedException if the caller is cancelled while waiting
     */
    public void join() throws InterruptedException {
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        while (true) {
            lock.lock();
            try {
                if (unfinished == 0) {
                    joiners.remove(st);
                    return;
                }
                if (!joiners.contains(st)) {
                    joiners.add(st);
                }
            } finally {
                lock.unlock();
            }
            try {
                st.park(this, Clock.NONE);
            } catch (InterruptedException e) {
                lock.lock();
                try {
                    joiners.remove(st);
                } finally {
                    lock.unlock();
                }
                throw e;
            }
        }
    }

    /** As {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (Python 3.13): puts fail from now on, blocked putters wake and fail;
     * gets drain what is left and then fail. With {@code immediate}, the queue is drained now, the
     * unfinished count lowered by the drained items, and blocked getters wake and fail.
     *
     * @param immediate {@code true} to drop the queued items and fail blocked getters now
     */
    public void shutdown(boolean immediate) {
        List<ThreadState> wake = new ArrayList<>();
        lock.lock();
        try {
            shutdown = true;
            Node<T> p;
            while ((p = firstWaiting(putters)) != null) {
                p.state = SHUTDOWN;
                wake.add(p.st);
            }
            if (immediate) {
                int drained = items.size();
                items.clear();
                unfinished = Math.max(0, unfinished - drained);
                if (unfinished == 0) {
                    wake.addAll(takeJoiners());
                }
            }
            if (items.isEmpty()) {
                Node<T> g;
                while ((g = firstWaiting(getters)) != null) {
                    g.state = SHUTDOWN;
                    wake.add(g.st);
                }
            }
        } finally {
            lock.unlock();
        }
        wakeAll(wake);
    }

    /**
     * Whether {@link #shutdown} was called.
     *
     * @return {@code true} once the queue has been shut down
     */
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Items queued now.
     *
     * @return the number of items in the queue now
     */
    public int size() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Items put and not yet marked done.
     *
     * @return the number of items put and not yet marked done with {@code taskDone()}
     */
    public long unfinished() {
        lock.lock();
        try {
            return unfinished;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bound (0: unbounded).
     *
     * @return the bound, or 0 for unbounded
     */
    public int maxSize() {
        return maxSize;
    }

    /**
     * A snapshot of the queue's counters, for metrics. Read under the queue's lock, so the counts
     * are consistent with each other.
     *
     * @param size items queued now
     * @param unfinished items put and not yet marked done
     * @param waitingGetters threads blocked in {@link #get()} now
     * @param waitingPutters threads blocked in {@link #put} now (bounded queues only)
     * @param added items accepted since the queue was made ({@code put}, {@code tryPut})
     * @param taken items handed to getters since the queue was made ({@code get}, {@code tryGet})
     * @param done {@link #taskDone()} calls since the queue was made
     * @param getWaits blocked {@code get} calls that have ended, however they ended
     * @param getWaitNanos total time of those waits, on the waiters' clocks
     * @param putWaits blocked {@code put} calls that have ended, however they ended
     * @param putWaitNanos total time of those waits, on the waiters' clocks
     */
    public record Stats(int size, long unfinished, int waitingGetters, int waitingPutters, long added, long taken,
            long done, long getWaits, long getWaitNanos, long putWaits, long putWaitNanos) {
    }

    /**
     * The queue's counters now. The counting itself costs a field increment under the lock each
     * operation already holds, plus two {@code LongAdder} updates per blocked call.
     *
     * @return a snapshot; the monotonic counts start at zero when the queue is made
     */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(items.size(), unfinished, getters.size(), putters.size(), added, taken, done,
                    getWaits.count(), getWaits.nanos(), putWaits.count(), putWaits.nanos());
        } finally {
            lock.unlock();
        }
    }

    int waitingGetters() {
        return underLock(getters::size);
    }

    int waitingJoiners() {
        return underLock(joiners::size);
    }

    int waitingPutters() {
        return underLock(putters::size);
    }

    private int underLock(java.util.function.IntSupplier read) {
        lock.lock();
        try {
            return read.getAsInt();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            StringBuilder sb = new StringBuilder("WorkQueue[size=").append(items.size()).append(", unfinished=")
                    .append(unfinished).append(", maxSize=").append(maxSize);
            if (shutdown) {
                sb.append(", shut down");
            }
            Iterator<T> it = items.iterator();
            return sb.append(it.hasNext() ? ", head=" + it.next() : "").append(']').toString();
        } finally {
            lock.unlock();
        }
    }
}
