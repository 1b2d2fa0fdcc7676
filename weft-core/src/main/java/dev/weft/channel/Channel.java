package dev.weft.channel;

import dev.weft.internal.Handoff;
import dev.weft.internal.ThreadState;
import dev.weft.internal.WaitTally;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A channel between tasks: Go's and Kotlin's channels, Trio's memory channels, jox's {@code Channel}.
 *
 * {@snippet :
 * Channel<String> ch = Channel.buffered(16);
 * TaskGroup.run(g -> {
 *     g.spawn(() -> {
 *         for (String line : lines) ch.send(line);
 *         ch.done();                 // receivers drain, then the iteration ends
 *         return null;
 *     });
 *     for (String line : ch) process(line);
 *     return null;
 * });
 * }
 *
 * <h2>Kinds</h2> {@link #rendezvous()} (a send returns only once a receiver took the item),
 * {@link #buffered(int)} (with an {@link Overflow} policy: block, drop the oldest, drop the newest)
 * and {@link #unbounded()}. Many senders and many receivers; {@code null} is rejected.
 *
 * <h2>Closing</h2> {@link #done()}: no more sends (a send after it throws
 * {@link ChannelDoneException}); receivers drain what was sent (buffered items, and the items of
 * senders already blocked when it was called), then see the end. {@link #fail(Throwable)}:
 * receivers and blocked senders see the error at once; buffered items are discarded and handed to
 * the {@code onUndelivered} hook, so resources are not leaked. Both are sticky; the first wins.
 *
 * <h2>Fairness</h2> Blocked senders and receivers are served FIFO. An item sent while a receiver
 * waits is handed directly to that receiver: {@link #tryReceive()} cannot take it (no barging).
 *
 * <h2>Cancellation</h2> {@link #send} and {@link #receive} are Weft waits: they fail at once in a
 * cancelled scope and wait no longer than {@link dev.weft.Deadline#current()}. Nothing is lost or
 * duplicated: a receiver cancelled while blocked either got the item (then {@code receive} returns
 * it, with the interrupt flag set for the next blocking call) or the item is still in the channel,
 * in order; a sender cancelled while blocked either delivered (then {@code send} returns normally,
 * flag set) or did not (then it throws {@code InterruptedException}).
 *
 * <h2>Design</h2> One lock guards a buffer (an {@code ArrayDeque}) and two FIFO queues of waiter
 * nodes. At most one of (non-empty buffer, waiting receivers) and at most one of (buffer with room,
 * waiting senders) holds at any time, so every operation is a short critical section followed by
 * at most one wake-up done after the lock is released, and only if the matched waiter has parked
 * (one still spinning sees its node's state; {@code docs/decisions/0014-channel-hot-path.md}),
 * and a receive allocates nothing per item. A waiter that belongs to a {@link Select}
 * is matched only if its select can still be claimed (a CAS), so exactly one clause completes.
 * jox's lock-free segment design (after Koval, Alistarh and Elizarov, "Fast and Scalable Channels
 * in Kotlin Coroutines", PPoPP 2023) was considered but not built here; {@code docs/decisions/0005-channels.md}
 * says why, and how this design measures against jox and {@code ArrayBlockingQueue}.
 *
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="channel"}
 *
 * @param <T> the type of the items
 */
public final class Channel<T> implements Iterable<T> {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.weft.channel");
    }

    private static final int OPEN = 0;
    private static final int DONE = 1;
    private static final int FAILED = 2;

    /** What a full buffered channel does with a new item. */
    public enum Overflow {
        /** The sender waits for room (the default). */
        BLOCK,
        /** The oldest buffered item is dropped (to {@code onUndelivered}) to make room. */
        DROP_OLDEST,
        /** The new item is dropped (to {@code onUndelivered}); the send returns at once. */
        DROP_NEWEST
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final int capacity;
    private final Overflow overflow;
    private final Consumer<? super T> onUndelivered;
    private final ArrayDeque<T> buffer;
    private final ArrayDeque<Waiter> senders = new ArrayDeque<>();
    private final ArrayDeque<Waiter> receivers = new ArrayDeque<>();
    private int state = OPEN; // guarded by lock
    private Throwable error; // guarded by lock
    private long sent; // guarded by lock: items that entered the channel (buffer or a receiver's hands)
    private long received; // guarded by lock: items handed to receivers
    private long undeliveredCount; // guarded by lock: items dropped by the overflow policy or discarded by fail
    private Waiter matchedSender; // guarded by lock: set by takeRaw, taken by its caller before the unlock
    private final WaitTally sendWaits = new WaitTally();
    private final WaitTally receiveWaits = new WaitTally();

    private Channel(int capacity, Overflow overflow, Consumer<? super T> onUndelivered) {
        this.capacity = capacity;
        this.overflow = Objects.requireNonNull(overflow, "overflow");
        this.onUndelivered = onUndelivered;
        this.buffer = new ArrayDeque<>(capacity == Integer.MAX_VALUE ? 16 : Math.max(1, Math.min(capacity, 1024)));
    }

    /**
     * A channel with no buffer: each send waits for a receiver.
     *
     * @param <T> the item type
     * @return a new, open rendezvous channel
     */
    public static <T> Channel<T> rendezvous() {
        return new Channel<>(0, Overflow.BLOCK, null);
    }

    /**
     * A channel buffering up to {@code capacity} items; senders wait when it is full.
     *
     * @param <T> the item type
     * @param capacity the buffer size, at least 1
     * @return a new, open buffered channel with the {@code BLOCK} policy
     */
    public static <T> Channel<T> buffered(int capacity) {
        return buffered(capacity, Overflow.BLOCK, null);
    }

    /**
     * A buffered channel with an overflow policy and a hook receiving every item that is not
     * delivered (dropped by the policy, or discarded by {@link #fail}); null: no hook.
     *
     * @param <T> the item type
     * @param capacity the buffer size, at least 1
     * @param overflow what a send to a full buffer does: wait, drop the oldest item or drop the new one
     * @param onUndelivered receives every item not delivered; called outside the channel's lock
     * @return a new, open buffered channel
     * @throws IllegalArgumentException if {@code capacity} is less than 1 (use {@link #rendezvous()} for 0)
     */
    public static <T> Channel<T> buffered(int capacity, Overflow overflow, Consumer<? super T> onUndelivered) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffered channel capacity must be >= 1, got " + capacity
                    + "; use Channel.rendezvous() for a channel without a buffer");
        }
        return new Channel<>(capacity, overflow, onUndelivered);
    }

    /**
     * A channel whose sends never wait.
     *
     * @param <T> the item type
     * @return a new, open unbounded channel
     */
    public static <T> Channel<T> unbounded() {
        return new Channel<>(Integer.MAX_VALUE, Overflow.BLOCK, null);
    }

    /**
     * An unbounded channel with an {@code onUndelivered} hook for items discarded by {@link #fail}.
     *
     * @param <T> the item type
     * @param onUndelivered receives every item {@link #fail} discards; null: no hook
     * @return a new, open unbounded channel
     */
    public static <T> Channel<T> unbounded(Consumer<? super T> onUndelivered) {
        return new Channel<>(Integer.MAX_VALUE, Overflow.BLOCK, onUndelivered);
    }

    private static <T> T checkItem(T item) {
        if (item == null) {
            throw new NullPointerException("channels do not carry null: wrap it (Optional) or use a sentinel");
        }
        return item;
    }

    // ------------------------------------------------------------------ sending

    /**
     * Sends {@code item}, waiting for room (or, for a rendezvous channel, for a receiver).
     *
     * @param item the item to send
     * @throws ChannelDoneException if the channel is done
     * @throws ChannelFailedException if the channel failed
     * @throws InterruptedException if the caller was cancelled while waiting and the item was not delivered
     */
    public void send(T item) throws InterruptedException {
        checkItem(item);
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Waiter w = null;
        Waiter r = null;
        long start = 0;
        List<T> dropped = null;
        lock.lock();
        try {
            checkOpenForSend();
            r = claimFirst(receivers, null);
            if (r != null) {
                deliver(r, item);
            } else if (buffer.size() < capacity) {
                buffer.addLast(item);
                sent++;
            } else if (capacity > 0 && overflow != Overflow.BLOCK) {
                dropped = dropFor(item);
            } else {
                w = new Waiter(st, item, senders);
                start = st.clock().nanoTime(); // before the waiter is visible: a waker may be timed
                senders.addLast(w);
            }
        } finally {
            lock.unlock();
        }
        if (r != null) {
            r.wakeMatched(); // after the unlock: the woken receiver does not meet our lock held
        } else if (w != null) {
            awaitSend(w, start);
        } else {
            undelivered(dropped);
        }
    }

    private List<T> dropFor(T item) { // holds lock; applies the overflow policy to a full buffer
        List<T> dropped = new ArrayList<>(1);
        undeliveredCount++;
        if (overflow == Overflow.DROP_NEWEST) {
            dropped.add(item);
        } else {
            dropped.add(buffer.pollFirst());
            buffer.addLast(item);
            sent++;
        }
        return dropped;
    }

    /**
     * Sends {@code item} if that needs no waiting; returns whether it was sent (or dropped by the overflow policy).
     *
     * @param item the item to send
     * @return {@code true} if the item was sent or dropped by the overflow policy, {@code false} if it
     *     would have had to wait (or the channel is closed)
     */
    public boolean trySend(T item) {
        checkItem(item);
        List<T> dropped = null;
        Waiter r;
        lock.lock();
        try {
            checkOpenForSend();
            r = claimFirst(receivers, null);
            if (r != null) {
                deliver(r, item);
            } else if (buffer.size() < capacity) {
                buffer.addLast(item);
                sent++;
            } else if (capacity == 0 || overflow == Overflow.BLOCK) {
                return false;
            } else {
                dropped = dropFor(item);
            }
        } finally {
            lock.unlock();
        }
        if (r != null) {
            r.wakeMatched();
        }
        undelivered(dropped);
        return true;
    }

    private void awaitSend(Waiter w, long start) throws InterruptedException {
        try {
            Handoff.await(w.st, this, lock, w, capacity == 0);
        } finally {
            sendWaits.record(w.st.clock(), start);
        }
        if (w.state == Waiter.FAILED) {
            throw failedException();
        }
    }

    private void checkOpenForSend() { // holds lock
        if (state == DONE) {
            throw new ChannelDoneException("cannot send: the channel is done (done() was called)");
        }
        if (state == FAILED) {
            throw failedException();
        }
    }

    private ChannelFailedException failedException() {
        return new ChannelFailedException("the channel failed: " + error, error);
    }

    /**
     * Under lock: the first waiter of {@code q} that can be matched now, removed from the queue.
     * Nodes that are no longer waiting are dropped; nodes of a select that cannot be claimed (it
     * completed elsewhere, or is being paired right now) are skipped but left in place: their owner
     * removes them, and a select that reverts a tentative claim still has all its nodes queued.
     * {@code self}: a select whose own nodes must not match it.
     */
    private static Waiter claimFirst(ArrayDeque<Waiter> q, SelectInstance self) {
        if (q.isEmpty()) {
            return null; // the common case: no iterator (JFR: ArrayDeque$DeqIterator was 70 % of buffered 1->1's allocation)
        }
        for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.state != Waiter.WAITING) {
                it.remove();
                continue;
            }
            if (w.select != null && w.select == self) {
                continue;
            }
            if (w.select == null || w.select.claim(w.clause)) {
                it.remove();
                return w;
            }
        }
        return null;
    }

    private void deliver(Waiter r, Object item) { // holds lock; the caller wakes r after its unlock
        sent++;
        received++;
        r.item = item;
        r.state = Waiter.DONE;
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Receives the next item, waiting for one.
     *
     * @return the next item
     * @throws ChannelDoneException once the channel is done and drained
     * @throws ChannelFailedException if the channel failed
     * @throws InterruptedException if the caller was cancelled while waiting and took no item
     */
    public T receive() throws InterruptedException {
        return itemOrThrow(receiveRaw());
    }

    /** An item from {@link #receiveRaw} or {@link #takeRaw}, or the end or failure it stands for, thrown. */
    @SuppressWarnings("unchecked")
    private T itemOrThrow(Object r) {
        if (r == END) {
            throw new ChannelDoneException("the channel is done and drained");
        }
        if (r == FAILED_END) {
            throw failedException();
        }
        return (T) r;
    }

    /** {@link #receiveRaw}'s and {@link #takeRaw}'s answer as a {@link ChannelResult} (null stays null). */
    @SuppressWarnings("unchecked")
    private ChannelResult<T> asResult(Object r) {
        if (r == null) {
            return null;
        }
        if (r == END) {
            return new ChannelResult.Done<>();
        }
        if (r == FAILED_END) {
            return new ChannelResult.Failed<>(errorUnderLock());
        }
        return new ChannelResult.Value<>((T) r);
    }

    /**
     * Receives the next item, or says that the channel is done or failed. Never throws for a closed channel.
     *
     * @return the next item as {@code Value}, or {@code Done} once the channel is done and drained, or
     *     {@code Failed} with the channel's error
     * @throws InterruptedException if the caller was cancelled while waiting and took no item
     */
    public ChannelResult<T> receiveOrClosed() throws InterruptedException {
        return asResult(receiveRaw());
    }

    /**
     * The receive itself, without a {@link ChannelResult} per item: the item, {@link #END} or
     * {@link #FAILED_END}. A sender matched on the way (its item moved into the buffer, or taken
     * directly) is woken after the unlock.
     */
    private Object receiveRaw() throws InterruptedException {
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Object now;
        Waiter w = null;
        Waiter s = null;
        long start = 0;
        lock.lock();
        try {
            now = takeRaw();
            if (now != null) {
                s = takeMatchedSender();
            } else {
                w = new Waiter(st, null, receivers);
                start = st.clock().nanoTime(); // before the waiter is visible, as in send
                receivers.addLast(w);
            }
        } finally {
            lock.unlock();
        }
        if (w == null) {
            if (s != null) {
                s.wakeMatched();
            }
            return now;
        }
        try {
            Handoff.await(st, this, lock, w, capacity == 0);
        } finally {
            receiveWaits.record(st.clock(), start);
        }
        return switch (w.state) {
            case Waiter.DONE -> w.item;
            case Waiter.CLOSED -> END;
            default -> FAILED_END;
        };
    }

    private Throwable errorUnderLock() {
        lock.lock();
        try {
            return error;
        } finally {
            lock.unlock();
        }
    }

    /** {@link #receiveRaw}'s answer for a channel done and drained. */
    private static final Object END = new Object();
    /** {@link #receiveRaw}'s answer for a failed channel (the error is {@link #error}). */
    private static final Object FAILED_END = new Object();

    /**
     * Under lock: an item, {@link #END} or {@link #FAILED_END} if one is available without waiting;
     * null otherwise. A sender it matched is left in {@link #matchedSender}, for the caller to take
     * (with {@link #takeMatchedSender}) before its unlock and wake after it.
     */
    @SuppressWarnings("unchecked")
    private Object takeRaw() {
        if (state == FAILED) {
            return FAILED_END;
        }
        T item = buffer.pollFirst();
        if (item != null) {
            received++;
            Waiter s = refillFromFirstSender(null);
            if (s != null) {
                matchedSender = s;
            }
            return item;
        }
        Waiter s = claimFirst(senders, null);
        if (s != null) {
            Object v = s.item;
            sent++;
            received++;
            s.state = Waiter.DONE;
            matchedSender = s;
            return v;
        }
        if (state == DONE) {
            return END;
        }
        return null;
    }

    /**
     * Under lock, after an item left the full buffer: the first blocked sender that can still be
     * matched (claimed for {@code sel}, or for no select when null) puts its item at the back and is
     * done. Returns it for the caller to wake (after the unlock, or at once on the select path), or null.
     */
    @SuppressWarnings("unchecked")
    private Waiter refillFromFirstSender(SelectInstance sel) {
        Waiter s = claimFirst(senders, sel);
        if (s != null) {
            buffer.addLast((T) s.item);
            sent++;
            s.state = Waiter.DONE;
        }
        return s;
    }

    private Waiter takeMatchedSender() { // holds lock
        Waiter s = matchedSender;
        matchedSender = null;
        return s;
    }

    /** {@link #takeRaw} under the lock, then the wake of the sender it matched, if any. */
    private Object takeRawNow() {
        Object r;
        Waiter s;
        lock.lock();
        try {
            r = takeRaw();
            s = takeMatchedSender();
        } finally {
            lock.unlock();
        }
        if (s != null) {
            s.wakeMatched();
        }
        return r;
    }

    /**
     * An item if one is available now.
     *
     * @return the next item, or empty if none is buffered or offered by a waiting sender now
     * @throws ChannelDoneException if the channel is done and drained
     * @throws ChannelFailedException if the channel failed
     */
    public Optional<T> tryReceive() {
        Object r = takeRawNow();
        return r == null ? Optional.empty() : Optional.of(itemOrThrow(r));
    }

    /**
     * An item, the end, or empty if a receiver would have to wait now: the non-blocking form of
     * {@link #receiveOrClosed()}, which never throws for the end.
     *
     * @return the item or the end ({@link ChannelResult.Done} or {@link ChannelResult.Failed});
     *     empty if the channel is open and has nothing to take now
     */
    public Optional<ChannelResult<T>> tryReceiveOrClosed() {
        return Optional.ofNullable(asResult(takeRawNow()));
    }

    // ------------------------------------------------------------------ closing

    /**
     * No more sends: receivers drain what was sent, then see the end. Returns false if the channel
     * was already done or failed (the first close wins).
     *
     * @return {@code true} if this call closed the channel
     */
    public boolean done() {
        List<Waiter> toWake = new ArrayList<>();
        lock.lock();
        try {
            if (state != OPEN) {
                return false;
            }
            state = DONE;
            if (buffer.isEmpty() && senders.isEmpty()) {
                Waiter r;
                while ((r = claimFirst(receivers, null)) != null) {
                    r.state = Waiter.CLOSED;
                    toWake.add(r);
                }
            }
        } finally {
            lock.unlock();
        }
        toWake.forEach(Waiter::wake);
        return true;
    }

    /**
     * Fails the channel: every receiver and blocked sender sees {@code error} at once; buffered items
     * are discarded and handed to {@code onUndelivered}. Returns false if already closed.
     *
     * @param error the failure receivers and senders see, never null
     * @return {@code true} if this call closed the channel
     */
    public boolean fail(Throwable error) {
        Objects.requireNonNull(error, "error");
        List<Waiter> toWake = new ArrayList<>();
        List<T> discarded;
        lock.lock();
        try {
            if (state != OPEN) {
                return false;
            }
            state = FAILED;
            this.error = error;
            discarded = new ArrayList<>(buffer);
            undeliveredCount += buffer.size();
            buffer.clear();
            for (ArrayDeque<Waiter> q : List.of(receivers, senders)) {
                Waiter w;
                while ((w = claimFirst(q, null)) != null) {
                    w.state = Waiter.FAILED;
                    toWake.add(w);
                }
            }
        } finally {
            lock.unlock();
        }
        toWake.forEach(Waiter::wake);
        undelivered(discarded);
        return true;
    }

    private void undelivered(List<T> items) {
        if (items == null || onUndelivered == null) {
            return;
        }
        for (T t : items) {
            try {
                onUndelivered.accept(t);
            } catch (RuntimeException e) {
                Log.LOG.log(Level.WARNING, "the channel's onUndelivered hook threw; ignored", e);
            }
        }
    }

    /**
     * Whether sends are refused (done or failed).
     *
     * @return {@code true} once the channel is done or failed
     */
    public boolean isClosedForSend() {
        lock.lock();
        try {
            return state != OPEN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether receives can only see the end or the error (failed, or done and drained).
     *
     * @return {@code true} once no more items can be received
     */
    public boolean isClosedForReceive() {
        lock.lock();
        try {
            return state == FAILED || (state == DONE && buffer.isEmpty() && senders.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Items buffered now.
     *
     * @return the number of items in the buffer now
     */
    public int size() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The buffer's capacity: 0 for rendezvous, {@code Integer.MAX_VALUE} for unbounded.
     *
     * @return the buffer's capacity
     */
    public int capacity() {
        return capacity;
    }

    int waitingReceivers() {
        lock.lock();
        try {
            return receivers.size();
        } finally {
            lock.unlock();
        }
    }

    int waitingSenders() {
        lock.lock();
        try {
            return senders.size();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ select support

    /**
     * A select clause receiving from this channel.
     *
     * @return a clause that completes with the received item
     */
    public SelectClause<T> receiveClause() {
        return receiveClause(Function.identity());
    }

    /**
     * A select clause receiving from this channel and mapping the item.
     *
     * @param <R> the select's result type
     * @param then maps the received item to the select's result
     * @return a clause that completes with {@code then}'s value
     */
    public <R> SelectClause<R> receiveClause(Function<? super T, ? extends R> then) {
        Objects.requireNonNull(then, "then");
        return new SelectClause.Receive<>(this, then);
    }

    /**
     * A select clause sending {@code item} to this channel; the select returns null when it wins.
     *
     * @param item the item to send
     * @return a clause that sends {@code item} and completes with null
     */
    public SelectClause<Void> sendClause(T item) {
        return sendClause(item, () -> null);
    }

    /**
     * A select clause sending {@code item}; the select returns {@code then}'s value when it wins.
     *
     * @param <R> the select's result type
     * @param item the item to send
     * @param then supplies the select's result once the item is sent
     * @return a clause that sends {@code item} and completes with {@code then}'s value
     */
    public <R> SelectClause<R> sendClause(T item, Supplier<? extends R> then) {
        return new SelectClause.Send<>(this, checkItem(item), Objects.requireNonNull(then, "then"));
    }

    /** Select outcome: this clause's select was completed by another clause meanwhile. */
    static final Object CLAIMED_ELSEWHERE = new Object();
    /** Select outcome: a send clause sent its item. */
    static final Object SENT = new Object();
    private static final Object PAIRING = new Object();

    /**
     * Select: completes clause {@code clause} now if possible. {@code sel} is null in the first pass
     * (the select is not registered anywhere yet, so nobody can claim it and nothing needs claiming).
     * Returns null (not possible now), {@link #CLAIMED_ELSEWHERE}, {@link #SENT}, or a
     * {@link ChannelResult} (a received value, or the channel's end or failure).
     * {@code retry[0]} is set when a tentative claim was reverted and the caller must re-scan.
     */
    Object selectAttempt(boolean send, Object item, SelectInstance sel, int clause, boolean[] retry) {
        List<T> dropped = null;
        Object result;
        lock.lock();
        try {
            result = send ? attemptSend(item, sel, clause, retry) : attemptReceive(sel, clause, retry);
            if (result instanceof DroppedMarker<?> d) {
                @SuppressWarnings("unchecked")
                List<T> list = (List<T>) d.items;
                dropped = list;
                result = SENT;
            }
        } finally {
            lock.unlock();
        }
        undelivered(dropped);
        return result;
    }

    private record DroppedMarker<T>(List<T> items) {
    }

    private static boolean claimSelf(SelectInstance sel, int clause) {
        return sel == null || sel.claim(clause);
    }

    @SuppressWarnings("unchecked")
    private Object attemptReceive(SelectInstance sel, int clause, boolean[] retry) { // holds lock
        if (state == FAILED) {
            return claimSelf(sel, clause) ? new ChannelResult.Failed<T>(error) : CLAIMED_ELSEWHERE;
        }
        if (!buffer.isEmpty()) {
            if (!claimSelf(sel, clause)) {
                return CLAIMED_ELSEWHERE;
            }
            T v = buffer.pollFirst();
            received++;
            Waiter s = refillFromFirstSender(sel);
            if (s != null) {
                s.wake();
            }
            return new ChannelResult.Value<>(v);
        }
        Object matched = matchCounterpart(senders, sel, clause, retry, null);
        if (matched != null) {
            return matched;
        }
        if (state == DONE) {
            return claimSelf(sel, clause) ? new ChannelResult.Done<T>() : CLAIMED_ELSEWHERE;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private Object attemptSend(Object item, SelectInstance sel, int clause, boolean[] retry) { // holds lock
        if (state == DONE) {
            return claimSelf(sel, clause) ? new ChannelResult.Done<T>() : CLAIMED_ELSEWHERE;
        }
        if (state == FAILED) {
            return claimSelf(sel, clause) ? new ChannelResult.Failed<T>(error) : CLAIMED_ELSEWHERE;
        }
        Object matched = matchCounterpart(receivers, sel, clause, retry, item);
        if (matched != null) {
            return matched;
        }
        if (buffer.size() < capacity) {
            if (!claimSelf(sel, clause)) {
                return CLAIMED_ELSEWHERE;
            }
            buffer.addLast((T) item);
            sent++;
            return SENT;
        }
        if (capacity > 0 && overflow != Overflow.BLOCK) {
            if (!claimSelf(sel, clause)) {
                return CLAIMED_ELSEWHERE;
            }
            return new DroppedMarker<>(dropFor((T) item));
        }
        return null;
    }

    /**
     * Under lock: pairs the select clause with the first matchable waiter of {@code q} (a receiver
     * when {@code sendItem} is non-null, else a sender). A plain waiter is matched once our own
     * select is claimed. Another select's waiter needs both selects claimed: done under one global
     * pairing monitor (so two selects never claim each other crosswise); if the other select cannot
     * be claimed, ours is reverted and the caller re-scans. Returns null if nothing matched.
     */
    private Object matchCounterpart(ArrayDeque<Waiter> q, SelectInstance sel, int clause, boolean[] retry, Object sendItem) {
        if (q.isEmpty()) {
            return null; // nobody to match: no iterator allocated
        }
        boolean sending = sendItem != null;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.state != Waiter.WAITING) {
                it.remove();
                continue;
            }
            if (w.select != null && w.select == sel) {
                continue; // a select never matches itself
            }
            if (w.select == null || sel == null) {
                if (w.select != null && !w.select.claim(w.clause)) {
                    continue;
                }
                if (!claimSelf(sel, clause)) {
                    return CLAIMED_ELSEWHERE; // (only reachable with sel != null, so w is plain and untouched)
                }
                it.remove();
                return complete(w, sending, sendItem);
            }
            synchronized (PAIRING) {
                if (!sel.claim(clause)) {
                    return CLAIMED_ELSEWHERE;
                }
                if (w.select.claim(w.clause)) {
                    it.remove();
                    return complete(w, sending, sendItem);
                }
                sel.revert(clause);
                retry[0] = true;
            }
        }
        return null;
    }

    private Object complete(Waiter w, boolean sending, Object sendItem) { // holds lock
        sent++;
        received++;
        if (sending) {
            w.item = sendItem;
            w.state = Waiter.DONE;
            w.wake();
            return SENT;
        }
        Object v = w.item;
        w.state = Waiter.DONE;
        w.wake();
        return new ChannelResult.Value<>(v);
    }

    /** Registers a select's waiter node. */
    void enqueue(Waiter w, boolean send) {
        lock.lock();
        try {
            (send ? senders : receivers).addLast(w);
        } finally {
            lock.unlock();
        }
    }

    /** Removes a select's waiter node (if still queued). */
    void dequeue(Waiter w, boolean send) {
        lock.lock();
        try {
            (send ? senders : receivers).remove(w);
        } finally {
            lock.unlock();
        }
    }

    /** The error of a failed channel (for a select that completed on it). */
    Throwable failure() {
        return errorUnderLock();
    }

    // ------------------------------------------------------------------ iteration

    /**
     * A snapshot of the channel's counters, for metrics. Read under the channel's lock, so the
     * counts are consistent with each other: {@code sent - received - undelivered} is the number of
     * items buffered now (an item dropped by {@link Overflow#DROP_NEWEST} counts as undelivered
     * only).
     *
     * @param size items buffered now
     * @param waitingSenders senders blocked now (select clauses included)
     * @param waitingReceivers receivers blocked now (select clauses included)
     * @param sent items that entered the channel since it was made (into the buffer or straight
     *     to a receiver)
     * @param received items handed to receivers since it was made
     * @param undelivered items dropped by the overflow policy or discarded by {@link #fail}
     * @param sendWaits blocked {@link #send} calls that have ended, however they ended (waits in
     *     {@link Select} are not timed)
     * @param sendWaitNanos total time of those waits, on the waiters' clocks
     * @param receiveWaits blocked receive calls that have ended, however they ended
     * @param receiveWaitNanos total time of those waits, on the waiters' clocks
     */
    public record Stats(int size, int waitingSenders, int waitingReceivers, long sent, long received,
            long undelivered, long sendWaits, long sendWaitNanos, long receiveWaits, long receiveWaitNanos) {
    }

    /**
     * The channel's counters now. The counting itself costs a field increment under the lock each
     * operation already holds, plus two {@code LongAdder} updates per blocked call.
     *
     * @return a snapshot; the monotonic counts start at zero when the channel is made
     */
    public Stats stats() {
        lock.lock();
        try {
            return new Stats(buffer.size(), countWaiting(senders), countWaiting(receivers), sent, received,
                    undeliveredCount, sendWaits.count(), sendWaits.nanos(), receiveWaits.count(), receiveWaits.nanos());
        } finally {
            lock.unlock();
        }
    }

    private static int countWaiting(ArrayDeque<Waiter> q) { // holds lock
        int n = 0;
        for (Waiter w : q) {
            if (w.state == Waiter.WAITING) {
                n++;
            }
        }
        return n;
    }

    /**
     * Iterates over received items until the channel is done; throws {@link ChannelFailedException}
     * if it fails. An interruption while waiting becomes a {@link CancellationException} (with the
     * interrupt flag set again), since an iterator cannot throw {@code InterruptedException}.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next != null) {
                    return true;
                }
                if (ended) {
                    return false;
                }
                Object r;
                try {
                    r = receiveRaw();
                } catch (InterruptedException e) {
                    ThreadState.current().restoreInterrupt();
                    CancellationException ce = new CancellationException("interrupted while iterating a channel");
                    ce.initCause(e);
                    throw ce;
                }
                if (r == END || r == FAILED_END) {
                    ended = true;
                }
                if (r == END) {
                    return false;
                }
                next = itemOrThrow(r); // throws for a failed channel
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the channel is done");
                }
                T v = next;
                next = null;
                return v;
            }
        };
    }

    /**
     * The received items as a sequential stream, ending when the channel is done.
     *
     * @return a stream over the items received from now on; each element may wait
     */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            String kind = capacity == 0 ? "rendezvous" : capacity == Integer.MAX_VALUE ? "unbounded" : "buffered(" + capacity + ")";
            String st = state == OPEN ? "open" : state == DONE ? "done" : "failed";
            return "Channel[" + kind + ", " + st + ", buffered=" + buffer.size() + ", waiting senders=" + senders.size()
                    + ", waiting receivers=" + receivers.size() + "]";
        } finally {
            lock.unlock();
        }
    }
}
