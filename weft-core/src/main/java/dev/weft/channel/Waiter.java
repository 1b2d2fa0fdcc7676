package dev.weft.channel;

import dev.weft.internal.Handoff;
import dev.weft.internal.ThreadState;
import java.util.ArrayDeque;

/**
 * A thread blocked on one channel operation (or one clause of a select). Lives in exactly one
 * channel's queue, guarded by that channel's lock; {@code state} and {@code item} are written under
 * that lock and read by the waiting thread after it wakes. A plain send or receive waits on it as
 * a {@link Handoff.Node} (so its wait allocates nothing more than this node).
 */
final class Waiter implements Handoff.Node {
    static final int WAITING = 0;
    static final int DONE = 1; // receiver: got item; sender: item taken
    static final int CLOSED = 2; // channel done (receivers only)
    static final int FAILED = 3; // channel failed
    static final int ABANDONED = 4; // cancelled or timed out; never matched

    final ThreadState st;
    final SelectInstance select; // null for a plain send/receive
    final int clause;
    private final ArrayDeque<Waiter> queue; // a plain waiter's queue (abandon removes it); null for a select's
    Object item; // sender: the item offered; receiver: the item received
    volatile int state = WAITING;
    private volatile boolean parked; // a plain waiter is about to park (or parked): a matcher must wake it

    /** A select's node for clause {@code clause}. */
    Waiter(ThreadState st, Object item, SelectInstance select, int clause) {
        this.st = st;
        this.item = item;
        this.select = select;
        this.clause = clause;
        this.queue = null;
    }

    /** A plain send's or receive's node, queued in {@code queue}. */
    Waiter(ThreadState st, Object item, ArrayDeque<Waiter> queue) {
        this.st = st;
        this.item = item;
        this.select = null;
        this.clause = 0;
        this.queue = queue;
    }

    /** Wakes the waiting thread (after the channel lock is released). */
    void wake() {
        st.wake();
    }

    /**
     * Wakes the thread of a waiter just matched (its {@code state} written), unless it is a plain
     * waiter still spinning: that one sees the state itself. A plain waiter writes {@code parked}
     * before its last look at {@code state} and the matcher writes {@code state} before it reads
     * {@code parked} (both volatile), so one of them sees the other's write and no wake is lost.
     * A select's node is always woken: its thread parks in {@link Select}, not through this node.
     */
    void wakeMatched() {
        if (select != null || parked) {
            st.wake();
        }
    }

    @Override
    public void parking() {
        parked = true;
    }

    @Override
    public boolean matched() {
        return state != WAITING;
    }

    /** Under the channel's lock: abandons an unmatched plain waiter (nothing exchanged); false if it was matched. */
    @Override
    public boolean abandonIfUnmatched() {
        if (state != WAITING) {
            return false;
        }
        state = ABANDONED;
        queue.remove(this);
        return true;
    }
}
