package dev.weft.channel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** One blocked select: exactly one clause wins the claim (or the select is cancelled first). */
final class SelectInstance {
    static final int OPEN = -1;
    static final int CANCELLED = -2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(SelectInstance.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile int state = OPEN;

    boolean claim(int clause) {
        return STATE.compareAndSet(this, OPEN, clause);
    }

    /** Undoes a tentative claim (only under the channel pairing monitor, before anything was exchanged). */
    void revert(int clause) {
        STATE.compareAndSet(this, clause, OPEN);
    }

    boolean cancel() {
        return STATE.compareAndSet(this, OPEN, CANCELLED);
    }

    int state() {
        return state;
    }
}
