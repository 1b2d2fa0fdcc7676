package dev.weft.internal;

import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

/**
 * The wait every hand-off structure (channels, work queues) shares: a thread has queued a waiter
 * node and parks until a counterpart matches it. If it is cancelled first, it takes the structure's
 * lock and, if the node is still unmatched, abandons it (removing it from the queue) and rethrows:
 * nothing was exchanged. If the node was matched in the same instant, the exchange stands: the
 * wait returns normally with the interrupt flag set again (through {@link ThreadState#restoreInterrupt},
 * which records whose interrupt it is, so that the scope that caused it retracts it when it ends), the
 * cancellation is seen at the next blocking call, and the item is neither lost nor duplicated.
 */
public final class Handoff {
    private static final int SPINS = 64;

    private Handoff() {
    }

    /** A waiter node that answers both questions of the wait itself (the wait then allocates nothing). */
    public interface Node {
        /**
         * Whether a counterpart has matched the node (read without the lock).
         *
         * @return true once matched (or closed)
         */
        boolean matched();

        /**
         * Under the structure's lock: abandons and dequeues the node if it is still unmatched.
         *
         * @return true if abandoned, false if it was matched
         */
        boolean abandonIfUnmatched();

        /**
         * Called once before the first park, followed by a last look at {@link #matched}: a node
         * whose matcher wakes it only if it parks records that here.
         */
        default void parking() {
        }
    }

    /**
     * @param matched whether a counterpart has matched the node (read without the lock)
     * @param abandonIfUnmatched under {@code lock}: abandons and dequeues the node if it is still
     *     unmatched and returns true; returns false if it was matched
     * @param spin whether to spin briefly before parking (rendezvous hand-offs)
     */
    public static void await(ThreadState st, Object blocker, Lock lock, BooleanSupplier matched,
            BooleanSupplier abandonIfUnmatched, boolean spin) throws InterruptedException {
        await(st, blocker, lock, new Node() {
            @Override
            public boolean matched() {
                return matched.getAsBoolean();
            }

            @Override
            public boolean abandonIfUnmatched() {
                return abandonIfUnmatched.getAsBoolean();
            }
        }, spin);
    }

    /**
     * The wait on a node that answers for itself.
     *
     * @param node the queued node
     * @param spin whether to spin briefly before parking (rendezvous hand-offs)
     */
    public static void await(ThreadState st, Object blocker, Lock lock, Node node, boolean spin) throws InterruptedException {
        try {
            // On a rendezvous both sides wait for each other on every item, and the counterpart
            // usually arrives within a microsecond: a few spins save a park and an unpark (halved the
            // rendezvous time in ChannelBench; buffered channels do not spin, it cost them there).
            for (int i = 0; spin && i < SPINS && !node.matched(); i++) {
                Thread.onSpinWait();
            }
            if (!node.matched()) {
                node.parking();
                while (!node.matched()) {
                    st.park(blocker, Clock.NONE);
                }
            }
        } catch (InterruptedException e) {
            boolean abandoned;
            lock.lock();
            try {
                abandoned = node.abandonIfUnmatched();
            } finally {
                lock.unlock();
            }
            if (abandoned) {
                throw e;
            }
            st.restoreInterrupt(); // matched after all: keep the cancellation for later, as ThreadState records it
        }
    }
}
