package dev.weft.channel;

import dev.weft.internal.ThreadState;

/**
 * A thread blocked on one channel operation (or one clause of a select). Lives in exactly one
 * channel's queue, guarded by that channel's lock; {@code state} and {@code item} are written under
 * that lock and read by the waiting thread after it wakes.
 */
final class Waiter {
    static final int WAITING = 0;
    static final int DONE = 1; // receiver: got item; sender: item taken
    static final int CLOSED = 2; // channel done (receivers only)
    static final int FAILED = 3; // channel failed
    static final int ABANDONED = 4; // cancelled or timed out; never matched

    final ThreadState st;
    final SelectInstance select; // null for a plain send/receive
    final int clause;
    Object item; // sender: the item offered; receiver: the item received
    volatile int state = WAITING;

    Waiter(ThreadState st, Object item, SelectInstance select, int clause) {
        this.st = st;
        this.item = item;
        this.select = select;
        this.clause = clause;
    }

    /** Wakes the waiting thread (after the channel lock is released). */
    void wake() {
        st.wake();
    }
}
