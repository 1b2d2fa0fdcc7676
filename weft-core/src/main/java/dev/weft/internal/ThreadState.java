package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;

/**
 * Per-thread view of Weft: the chain of scopes this thread has entered (its task, then the groups
 * and cancel scopes it entered), and the bookkeeping for the one rule of the interrupt flag.
 *
 * <p><b>The rule.</b> A thread carries an interrupt from Weft exactly while some scope on its
 * chain is cancelled. At every scope boundary (push, pop) and whenever another thread cancels a
 * scope on this thread's chain, the thread's interrupt status is re-derived as "some scope on my
 * chain is cancelled", under this object's lock, so a cancellation racing with a push or pop is
 * always decided against the chain as it is. {@code weftInterrupt} records whether the flag is
 * Weft's; only Weft's flag is ever cleared, an interrupt Weft did not cause is left alone.
 * Consequences: an inner scope that retracts its own cancellation cannot erase an outer one, and a
 * deadline that fires as its body returns leaves no stray interrupt behind.
 *
 * <p><b>One place.</b> No Weft wait touches the flag except through this class: waits check with
 * {@link #checkCancelled}, park with {@link #park}, wait without interruption with
 * {@link #parkUninterruptibly}, and put back an interrupt they consumed with
 * {@link #restoreInterrupt} (outside weft-core: {@code Weft.restoreInterrupt()}). A raw
 * {@code Thread.interrupt()} would set the flag without the record, and no scope would retract it.
 *
 * <p><b>The cases</b> (ADR 0006; each has a test):
 * <ol>
 *   <li>A cancellation lands between {@link #checkCancelled}'s look at the chain and its look at
 *       the flag. Cancelling marks the scope before it interrupts, so the chain read under the lock
 *       attributes the interrupt to Weft; it is kept (level-triggered), not consumed as foreign.
 *       (Issue 22: taken for foreign, then put back raw by a hand-off that completed anyway, it
 *       outlived its scope.)</li>
 *   <li>A wait is matched (an item handed over) as it is cancelled: the exchange stands, the wait
 *       returns normally, and {@link #restoreInterrupt} puts the flag back as Weft's, so the scope
 *       retracts it when it ends and the next blocking call inside the scope still sees it.</li>
 *   <li>An interrupt from outside Weft (a raw {@code Thread.interrupt()}) is consumed once by the
 *       Weft wait that sees it, which throws; if that wait completes anyway it is put back as
 *       foreign and never cleared by Weft. A foreign interrupt that arrives while a Weft
 *       cancellation is in effect cannot be told apart from it and is retracted with it.</li>
 *   <li>A deadline that fires as its body returns: the timer's cancel and the scope's pop both
 *       decide under the lock; whichever runs second sees the other (no flag after the pop).</li>
 *   <li>An outer cancellation during an inner scope's exit: the pop re-derives against the rest of
 *       the chain, so the outer cancellation's flag stays.</li>
 * </ol>
 */
public final class ThreadState implements Runnable {
    /**
     * Weft's own threads (tasks, the main task of Weft.run) find their state here: no ThreadLocalMap
     * per task (a thread-local set by each task thread allocated 50 to 200 bytes more per task than
     * this binding, measured with {@code -prof gc}; ADR 0010).
     */
    private static final ScopedValue<ThreadState> BOUND = ScopedValue.newInstance();
    private static final ThreadState UNBOUND = new ThreadState((Thread) null);
    /** Any other thread that uses Weft (a test's main thread, a pool thread) keeps its state here. */
    private static final ThreadLocal<ThreadState> CURRENT = new ThreadLocal<>();
    static final VarHandle IDLE;

    static {
        try {
            IDLE = MethodHandles.lookup().findVarHandle(ThreadState.class, "idle", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final Thread thread;
    /** Virtual-time token: 1 while parked in a Weft wait and not yet handed back to "running". */
    volatile int idle;
    private volatile Scope top; // written under the lock; read freely
    private boolean weftInterrupt; // guarded by this
    /** Task threads only: what the thread runs, bound to this state; set before start, dropped once read. */
    private Runnable body;

    private ThreadState(Thread thread) {
        this.thread = thread;
    }

    /** A task thread's state that is itself the thread's {@code Runnable}: no holder, no lambda per task. */
    private ThreadState(ThreadFactory factory) {
        this.thread = factory.newThread(this); // not started yet: start() publishes every field to it
    }

    /** The calling thread's state, created on first use (any thread may use Weft). */
    public static ThreadState current() {
        ThreadState b = BOUND.orElse(UNBOUND);
        if (b != UNBOUND && b.thread == Thread.currentThread()) {
            return b;
        }
        ThreadState s = CURRENT.get();
        if (s == null) {
            s = new ThreadState(Thread.currentThread());
            CURRENT.set(s);
        }
        return s;
    }

    /**
     * Creates a task thread (not started) from {@code factory} whose state this is; it runs
     * {@code body} bound to this state once {@link #start(Runnable)} is called.
     *
     * @param factory makes the thread (with this state as its {@code Runnable})
     * @return the new thread's state; its {@link #thread} is not started
     */
    public static ThreadState newTaskThread(ThreadFactory factory) {
        return new ThreadState(factory);
    }

    /**
     * Starts the thread made by {@link #newTaskThread}: it runs {@code body} with this state as its own.
     *
     * @param body what the thread runs
     */
    public void start(Runnable body) {
        this.body = body;
        thread.start();
    }

    /** The body of a thread made by {@link #newTaskThread}; not to be called otherwise. */
    @Override
    public void run() {
        Runnable b = body;
        if (b == null || thread != Thread.currentThread()) {
            throw new IllegalStateException("ThreadState.run() is the body of its own task thread only");
        }
        body = null;
        ScopedValue.where(BOUND, this).run(b);
    }

    /** The innermost scope this thread has entered, or null. */
    public Scope top() {
        return top;
    }

    /** The clock of the innermost scope, or the system clock. */
    public Clock clock() {
        Scope t = top;
        return t == null ? SystemClock.INSTANCE : t.clock;
    }

    /** Enters {@code s} (whose {@code below} must be the current top). */
    public void push(Scope s) {
        synchronized (this) {
            if (s.below != top) {
                throw new IllegalStateException("scope entered out of order on " + thread);
            }
            if (top != null) {
                top.inner = s;
            }
            top = s;
            s.active = true;
            rederiveSelf();
        }
    }

    /** Leaves {@code s}, which must be the innermost scope of this thread. */
    public void pop(Scope s) {
        synchronized (this) {
            if (top != s) {
                throw new IllegalStateException("scopes must be exited in the reverse order they were entered,"
                        + " on the thread that entered them");
            }
            Scope b = s.below;
            if (b != null) {
                b.inner = null;
            }
            top = b;
            s.active = false;
            rederiveSelf();
        }
    }

    /**
     * Leaves {@code s} and every scope still entered above it (a body that returned without closing
     * a scope it opened). Returns how many scopes above {@code s} were left open.
     */
    public int unwindTo(Scope s) {
        int open = 0;
        synchronized (this) {
            Scope t = top;
            while (t != null && t != s) {
                t.active = false;
                t = t.below;
                open++;
            }
            if (t == null) {
                throw new IllegalStateException("scope " + s + " is not on the chain of " + thread);
            }
            top = s;
            s.inner = null;
        }
        pop(s);
        return open;
    }

    /** On this thread, under the lock: set or retract Weft's interrupt to match the chain. */
    private void rederiveSelf() {
        if (top != null && Scope.chainCancelled(top)) {
            weftInterrupt = true;
            if (!thread.isInterrupted()) {
                thread.interrupt();
            }
        } else if (weftInterrupt) {
            weftInterrupt = false;
            Thread.interrupted();
        }
    }

    /** Re-delivers a cancellation after the chain changed shape (a shield was lowered). */
    public void redeliver() {
        rederiveFromOther();
    }

    /** From a cancelling thread: interrupt this thread if its chain, as it is now, is cancelled. */
    void rederiveFromOther() {
        Clock c = null;
        synchronized (this) {
            Scope t = top;
            if (t != null && Scope.chainCancelled(t)) {
                weftInterrupt = true;
                thread.interrupt();
                c = t.clock;
            }
        }
        if (c != null) {
            c.wake(this);
        }
    }

    /**
     * Weft's checkpoint: throws if the chain is cancelled (deadlines are checked against the clock,
     * so an expired deadline counts even before its timer fires) or the thread was interrupted.
     * Level-triggered: inside a cancelled scope this throws every time, whatever the flag says, and
     * leaves the flag set so that JDK blocking calls fail too; a foreign interrupt is consumed.
     *
     * <p>An interrupt found set after the chain looked clean is attributed under the lock: a
     * cancellation that landed between the two checks has marked its scope before interrupting, so
     * the chain read under the lock tells Weft's interrupt from a foreign one (case 1 of the rule).
     */
    public void checkCancelled() throws InterruptedException {
        Scope t = top;
        if (t != null) {
            Scope cancelled = Scope.firstCancelledNow(t);
            if (cancelled != null) {
                synchronized (this) {
                    weftInterrupt = true;
                    if (!thread.isInterrupted()) {
                        thread.interrupt();
                    }
                }
                throw new InterruptedException(cancelled.describeCancellation());
            }
        }
        Runnable hook = afterChainCheck;
        if (hook != null) {
            hook.run();
        }
        if (thread.isInterrupted()) {
            Scope cancelled;
            synchronized (this) {
                if (!Thread.interrupted()) {
                    return;
                }
                cancelled = top == null ? null : Scope.outermostCancelled(top);
                if (cancelled != null) {
                    weftInterrupt = true; // Weft's, delivered after the chain check above: keep it
                    thread.interrupt();
                } else {
                    weftInterrupt = false; // foreign: consumed, reported once
                }
            }
            throw new InterruptedException(cancelled == null ? "interrupted" : cancelled.describeCancellation());
        }
    }

    /**
     * Puts back an interrupt that a Weft wait consumed (it caught {@code InterruptedException}, or
     * waited uninterruptibly) when the operation completes anyway: the next blocking call then sees
     * the cancellation. The flag is recorded as Weft's if the chain is cancelled now, else as a
     * foreign interrupt that Weft never retracts (case 3 of the rule). Every Weft wait restores an
     * interrupt through here, never with a raw {@code Thread.interrupt()}.
     */
    public void restoreInterrupt() {
        synchronized (this) {
            Scope t = top;
            weftInterrupt = t != null && Scope.chainCancelled(t);
            thread.interrupt();
        }
    }

    /** Test hook: runs on the waiting thread between the chain check and the flag check of {@link #checkCancelled}. */
    private static Runnable afterChainCheck;

    /** Installs (or, with null, removes) a hook for tests that force an interleaving; not for production use. */
    public static void testHookAfterChainCheck(Runnable hook) {
        afterChainCheck = hook;
    }

    /** Whether the chain is cancelled now (deadlines checked against the clock). */
    public boolean cancelledNow() {
        Scope t = top;
        return t != null && Scope.firstCancelledNow(t) != null;
    }

    /** Parks in a Weft wait: cancellable, counted by virtual time. The caller re-checks its condition. */
    public void park(Object blocker, long deadline) throws InterruptedException {
        checkCancelled();
        if (dev.weft.internal.debug.DebugHooks.ON) {
            parkMarked(blocker, deadline);
        } else {
            clock().park(this, blocker, deadline);
        }
        checkCancelled();
    }

    /** Debug mode: a park that no Weft call has described yet (a channel, a queue, an event) shows its blocker in the task tree. */
    private void parkMarked(Object blocker, long deadline) throws InterruptedException {
        boolean marked = dev.weft.internal.debug.DebugHooks.beginParkWait(blocker);
        try {
            clock().park(this, blocker, deadline);
        } finally {
            if (marked) {
                dev.weft.internal.debug.DebugHooks.endWait(null);
            }
        }
    }

    /** Wakes this thread from {@link #park}. */
    public void wake() {
        clock().wake(this);
    }

    /**
     * Waits without being stopped by interrupts (group close, join of a cancelled task), keeping
     * the interrupt for afterwards. Returns when {@code done} holds.
     */
    public void parkUninterruptibly(Object blocker, java.util.function.BooleanSupplier done) {
        boolean interrupted = false;
        while (!done.getAsBoolean()) {
            if (Thread.interrupted()) {
                interrupted = true;
                continue;
            }
            clock().park(this, blocker, Clock.NONE);
        }
        if (interrupted) {
            restoreInterrupt();
        }
    }
}
