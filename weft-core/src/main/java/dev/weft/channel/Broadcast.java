package dev.weft.channel;

import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One publisher, many subscribers; every subscriber sees every item published after it subscribed.
 * Each subscriber has its own bounded buffer with a declared policy for when it falls behind:
 * {@link Channel.Overflow#BLOCK} slows the publisher down to the slowest subscriber (back-pressure),
 * {@link Channel.Overflow#DROP_OLDEST} / {@link Channel.Overflow#DROP_NEWEST} let the slow
 * subscriber lose items instead (handed to the {@code onDropped} hook).
 *
 * {@snippet :
 * Broadcast<Price> prices = Broadcast.create(64, Channel.Overflow.DROP_OLDEST);
 * try (Broadcast.Subscription<Price> sub = prices.subscribe()) {
 *     for (Price p : sub) show(p);   // ends when the broadcast is done
 * }
 * }
 *
 * @param <T> the type of the items
 */
public final class Broadcast<T> {
    private final int buffer;
    private final Channel.Overflow policy;
    private final java.util.function.Consumer<? super T> onDropped;
    private final List<Subscription<T>> subscribers = new CopyOnWriteArrayList<>();
    private volatile Throwable failure;
    private volatile boolean done;

    private Broadcast(int buffer, Channel.Overflow policy, java.util.function.Consumer<? super T> onDropped) {
        if (buffer < 1) {
            throw new IllegalArgumentException("a subscriber's buffer must be >= 1, got " + buffer);
        }
        this.buffer = buffer;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.onDropped = onDropped;
    }

    /**
     * A broadcast whose subscribers buffer up to {@code buffer} items each, with {@code policy} when full.
     *
     * @param <T> the item type
     * @param buffer each subscriber's buffer size, at least 1
     * @param policy what a full subscriber buffer does with a new item: wait ({@code BLOCK}) or drop
     * @return a new broadcast with no subscriber
     */
    public static <T> Broadcast<T> create(int buffer, Channel.Overflow policy) {
        return new Broadcast<>(buffer, policy, null);
    }

    /**
     * As {@link #create(int, Channel.Overflow)}, with a hook for items a slow subscriber dropped.
     *
     * @param <T> the item type
     * @param buffer each subscriber's buffer size, at least 1
     * @param policy what a full subscriber buffer does with a new item: wait ({@code BLOCK}) or drop
     * @param onDropped receives each item a subscriber's policy dropped; null: no hook
     * @return a new broadcast with no subscriber
     */
    public static <T> Broadcast<T> create(int buffer, Channel.Overflow policy, java.util.function.Consumer<? super T> onDropped) {
        return new Broadcast<>(buffer, policy, onDropped);
    }

    /**
     * Subscribes; close the subscription to leave. A subscription made after done() or fail() sees the end at once.
     *
     * @return a new subscription that sees every item published from now on
     */
    public Subscription<T> subscribe() {
        Subscription<T> s = new Subscription<>(this, Channel.buffered(buffer, policy, onDropped));
        subscribers.add(s);
        Throwable f = failure;
        if (f != null) {
            s.channel.fail(f);
        } else if (done) {
            s.channel.done();
        }
        return s;
    }

    /**
     * Publishes {@code item} to every current subscriber (waiting for room with the BLOCK policy).
     * Subscribers are served one after another: a publish cancelled while it waits for a slow
     * subscriber has delivered the item to the subscribers before that one and not to those after
     * (each subscriber still sees items in publishing order, with no duplicates).
     *
     * @param item the item to deliver to every current subscriber
     * @throws ChannelDoneException if the broadcast is done
     * @throws InterruptedException if the caller is cancelled while waiting for a slow subscriber
     */
    public void publish(T item) throws InterruptedException {
        Objects.requireNonNull(item, "broadcasts do not carry null");
        if (done || failure != null) {
            throw new ChannelDoneException("cannot publish: the broadcast is " + (failure != null ? "failed" : "done"));
        }
        for (Subscription<T> s : subscribers) {
            try {
                s.channel.send(item);
            } catch (ChannelClosedException closed) {
                subscribers.remove(s); // it unsubscribed meanwhile
            }
        }
    }

    /** Ends the broadcast: subscribers drain their buffers, then see the end. */
    public void done() {
        done = true;
        subscribers.forEach(s -> s.channel.done());
    }

    /**
     * Fails the broadcast: subscribers see {@code error} at once.
     *
     * @param error the failure every subscriber receives, never null
     */
    public void fail(Throwable error) {
        failure = Objects.requireNonNull(error, "error");
        subscribers.forEach(s -> s.channel.fail(error));
    }

    /**
     * Subscribers now.
     *
     * @return the number of current subscriptions
     */
    public int subscribers() {
        return subscribers.size();
    }

    /**
     * One subscriber's view: receive, iterate, close to unsubscribe.
     *
     * @param <T> the item type
     */
    public static final class Subscription<T> implements Iterable<T>, AutoCloseable {
        private final Broadcast<T> owner;
        final Channel<T> channel;

        private Subscription(Broadcast<T> owner, Channel<T> channel) {
            this.owner = owner;
            this.channel = channel;
        }

        /**
         * The next item; throws {@link ChannelDoneException} at the end.
         *
         * @return the next item published to this subscriber
         * @throws InterruptedException if the caller is cancelled while waiting (no item is taken)
         */
        public T receive() throws InterruptedException {
            return channel.receive();
        }

        /**
         * The next item or the end.
         *
         * @return the next item, or the broadcast's end ({@code Done}) or failure ({@code Failed})
         * @throws InterruptedException if the caller is cancelled while waiting (no item is taken)
         */
        public ChannelResult<T> receiveOrClosed() throws InterruptedException {
            return channel.receiveOrClosed();
        }

        /**
         * The next item if one is buffered, without waiting (for a subscriber that polls).
         *
         * @return the item, or empty if none is buffered now
         * @throws ChannelDoneException if the broadcast is done (or this subscription closed) and
         *     the buffer is drained
         * @throws ChannelFailedException if the broadcast failed
         */
        public java.util.Optional<T> tryReceive() {
            return channel.tryReceive();
        }

        /**
         * The next item, the end, or empty if nothing is buffered now: the non-blocking form of
         * {@link #receiveOrClosed()}.
         *
         * @return the item or the end; empty if the subscriber would have to wait
         */
        public java.util.Optional<ChannelResult<T>> tryReceiveOrClosed() {
            return channel.tryReceiveOrClosed().map(r -> r instanceof ChannelResult.Failed<T> f
                    && f.error() instanceof ChannelDoneException ? new ChannelResult.Done<>() : r);
        }

        /**
         * How many items are buffered for this subscriber now.
         *
         * @return the number of items waiting in this subscriber's buffer
         */
        public int size() {
            return channel.size();
        }

        /**
         * Whether the broadcast has ended for this subscriber (done, failed or unsubscribed) and its buffer is drained.
         *
         * @return {@code true} once nothing more can be received
         */
        public boolean isClosed() {
            return channel.isClosedForReceive();
        }

        @Override
        public Iterator<T> iterator() {
            return channel.iterator();
        }

        /** Leaves the broadcast; a publisher blocked on this subscriber is released. */
        @Override
        public void close() {
            owner.subscribers.remove(this);
            channel.fail(new ChannelDoneException("unsubscribed"));
        }
    }
}
