package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-shot gate: closed until {@link #open()}, then open forever. Waits are Weft waits
 * (cancellable through the scope chain, counted by virtual time). Waiters form a Treiber stack;
 * opening swaps in a sentinel and wakes every waiter once.
 */
public final class Latch {
    private static final Node OPEN = new Node(null);
    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(Latch.class, "head", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        final ThreadState st;
        Node next;

        Node(ThreadState st) {
            this.st = st;
        }
    }

    private volatile Node head;

    public boolean isOpen() {
        return head == OPEN;
    }

    /** Opens the gate and wakes every waiter; later calls do nothing. */
    public void open() {
        Node h = (Node) HEAD.getAndSet(this, OPEN);
        for (; h != null && h != OPEN; h = h.next) {
            h.st.wake();
        }
    }

    private boolean enqueue(ThreadState st) {
        Node n = new Node(st);
        while (true) {
            Node h = head;
            if (h == OPEN) {
                return false;
            }
            n.next = h;
            if (HEAD.compareAndSet(this, h, n)) {
                return true;
            }
        }
    }

    /** Waits until open; throws if the caller's scope is cancelled (level-triggered) or it is interrupted. */
    public void await() throws InterruptedException {
        await(Clock.NONE);
    }

    /** Waits until open or {@code deadline} (clock nanos) passes; returns whether it is open. */
    public boolean await(long deadline) throws InterruptedException {
        ThreadState st = ThreadState.current();
        if (isOpen()) {
            return true;
        }
        st.checkCancelled();
        if (!enqueue(st)) {
            return true;
        }
        Clock clock = st.clock();
        while (!isOpen()) {
            if (deadline != Clock.NONE && deadline - clock.nanoTime() <= 0) {
                return false;
            }
            st.park(this, deadline);
        }
        return true;
    }

    /** Waits until open whatever happens; an interrupt received meanwhile is kept for afterwards. */
    public void awaitUninterruptibly() {
        if (isOpen()) {
            return;
        }
        ThreadState st = ThreadState.current();
        if (!enqueue(st)) {
            return;
        }
        st.parkUninterruptibly(this, this::isOpen);
    }
}
