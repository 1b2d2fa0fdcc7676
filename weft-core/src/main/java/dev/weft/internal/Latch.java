package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A one-shot gate: closed until {@link #open()}, then open forever. Waits are Weft waits
 * (cancellable through the scope chain, counted by virtual time). Waiters form a Treiber stack;
 * opening swaps in a sentinel and wakes every waiter once.
 *
 * <p>A waiter that gives up (cancelled, or its deadline passed) marks its node and, under the
 * latch's lock, unlinks the marked nodes it meets from the head down to its own: a long-lived task
 * joined by many cancelled joiners keeps no node for them. Only that slow path locks; a marked node
 * woken by a racing {@link #open()} gets a harmless spurious wake.
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
        volatile Node next;
        volatile boolean gaveUp;
        boolean unlinked; // guarded by the latch's lock

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

    private Node enqueue(ThreadState st) {
        Node n = new Node(st);
        while (true) {
            Node h = head;
            if (h == OPEN) {
                return null;
            }
            n.next = h;
            if (HEAD.compareAndSet(this, h, n)) {
                return n;
            }
        }
    }

    /**
     * Marks {@code mine} as given up and unlinks it, with the marked nodes met on the way. Unlinkers
     * take this latch's lock (only this slow path does), so no unlink can undo another; pushes at
     * the head and {@link #open()} stay lock-free and only race with the head CAS.
     */
    private void giveUp(Node mine) {
        mine.gaveUp = true;
        synchronized (this) {
            if (mine.unlinked) {
                return;
            }
            while (true) {
                Node h = head;
                if (h == null || h == OPEN || !h.gaveUp) {
                    break;
                }
                if (HEAD.compareAndSet(this, h, h.next)) {
                    h.unlinked = true;
                    if (h == mine) {
                        return;
                    }
                }
            }
            Node p = head;
            while (p != null && p != OPEN) {
                Node s = p.next;
                if (s != null && s.gaveUp) {
                    p.next = s.next;
                    s.unlinked = true;
                    if (s == mine) {
                        return;
                    }
                } else {
                    p = s;
                }
            }
        }
    }

    /** Nodes still linked (live waiters and given-up ones not yet unlinked); for tests. */
    public int linkedWaiters() {
        int n = 0;
        for (Node p = head; p != null && p != OPEN; p = p.next) {
            n++;
        }
        return n;
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
        Node mine = enqueue(st);
        if (mine == null) {
            return true;
        }
        Clock clock = st.clock();
        boolean opened = false;
        try {
            while (!isOpen()) {
                if (deadline != Clock.NONE && deadline - clock.nanoTime() <= 0) {
                    return false;
                }
                st.park(this, deadline);
            }
            opened = true;
            return true;
        } finally {
            if (!opened && !isOpen()) {
                giveUp(mine);
            }
        }
    }

    /** Waits until open whatever happens; an interrupt received meanwhile is kept for afterwards. */
    public void awaitUninterruptibly() {
        if (isOpen()) {
            return;
        }
        ThreadState st = ThreadState.current();
        if (enqueue(st) == null) {
            return;
        }
        st.parkUninterruptibly(this, this::isOpen);
    }
}
