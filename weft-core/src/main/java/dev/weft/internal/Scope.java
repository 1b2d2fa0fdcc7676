package dev.weft.internal;

import java.util.ArrayDeque;

/**
 * A node of the cancellation tree: a task, a task group, a cancel scope, or a root.
 *
 * <p>Design: {@code parent} is the logical parent (for a task, the group that owns it; otherwise
 * the scope it was entered in); {@code below} is the previous scope on the same thread (null for
 * the bottom of a task's chain); {@code inner} is the next scope entered on the same thread.
 * Cancelling a scope marks it (once, with a reason) and walks its subtree without recursion,
 * stopping at shielded scopes and at scopes already cancelled; each thread reached re-derives its
 * interrupt status under its own lock ({@link ThreadState}). A scope is "effectively cancelled"
 * when it or an ancestor up to the nearest shield is cancelled.
 */
public class Scope {
    public static final int NOT_CANCELLED = 0;
    public static final int EXPLICIT = 1;
    public static final int DEADLINE = 2;
    public static final int FAILURE = 3;
    public static final int CLOSED = 4;
    public static final int SIGNAL = 5;

    public final Scope parent;
    final Scope below;
    public final ThreadState owner;
    public final Clock clock;
    volatile Scope inner;
    volatile boolean active;
    // membership in the owning group's list of live tasks (task scopes only): written by the spawner
    // before the task's thread starts; the task clears the link's reference to it when it ends
    GroupScope.Link link;
    public volatile boolean shielded;
    public volatile long deadline = Clock.NONE;
    private volatile int cancelReason;
    private static final java.lang.invoke.VarHandle REASON;

    static {
        try {
            REASON = java.lang.invoke.MethodHandles.lookup().findVarHandle(Scope.class, "cancelReason", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A scope entered on {@code owner}'s thread on top of its current chain. */
    public Scope(ThreadState owner, Clock clock) {
        this(owner.top(), owner.top(), owner, clock);
    }

    /** A scope with an explicit logical parent (tasks: the owning group) and no scope below it. */
    public Scope(Scope parent, Scope below, ThreadState owner, Clock clock) {
        this.parent = parent;
        this.below = below;
        this.owner = owner;
        this.clock = clock;
    }

    public final boolean isActive() {
        return active;
    }

    public final int cancelReason() {
        return cancelReason;
    }

    public final boolean isCancelled() {
        return cancelReason != NOT_CANCELLED;
    }

    /** Cancels this scope (first reason wins) and delivers it; returns whether this call cancelled it. */
    public final boolean cancel(int reason) {
        if (!REASON.compareAndSet(this, NOT_CANCELLED, reason)) {
            return false;
        }
        if (dev.weft.internal.debug.DebugHooks.ON) {
            dev.weft.internal.debug.DebugHooks.cancelled(this, reason);
        }
        propagate();
        return true;
    }

    /** Marks this scope cancelled before it is entered (push then delivers it to its own thread). */
    public final void markCancelled(int reason) {
        REASON.compareAndSet(this, NOT_CANCELLED, reason);
    }

    /** The timer action of a deadline. */
    public final void expire() {
        if (active) {
            cancel(DEADLINE);
        }
    }

    private void propagate() {
        ArrayDeque<Scope> work = new ArrayDeque<>();
        work.add(this);
        Scope s;
        while ((s = work.poll()) != null) {
            Scope in = s.inner;
            if (in == null) {
                s.owner.rederiveFromOther();
            } else if (!in.shielded && !in.isCancelled()) {
                work.add(in);
            }
            s.forEachChildTask(work);
        }
    }

    /** Group scopes add their live, not yet cancelled task scopes. */
    protected void forEachChildTask(ArrayDeque<Scope> work) {
    }

    /** Whether {@code s} or an ancestor up to the nearest shield is cancelled (flags only). */
    public static boolean chainCancelled(Scope s) {
        for (; s != null; s = s.parent) {
            if (s.cancelReason != NOT_CANCELLED) {
                return true;
            }
            if (s.shielded) {
                return false;
            }
        }
        return false;
    }

    /** The outermost scope of the chain from {@code s} up to the nearest shield whose flag says cancelled (no clock read); null if none. */
    public static Scope outermostCancelled(Scope s) {
        Scope found = null;
        for (; s != null; s = s.parent) {
            if (s.cancelReason != NOT_CANCELLED) {
                found = s;
            }
            if (s.shielded) {
                break;
            }
        }
        return found;
    }

    /**
     * The outermost cancelled scope of the chain from {@code s} up to the nearest shield, checking
     * deadlines against the clock (an expired deadline cancels its scope now); null if none.
     */
    public static Scope firstCancelledNow(Scope s) {
        Scope found = null;
        long now = 0;
        boolean haveNow = false;
        for (; s != null; s = s.parent) {
            if (s.cancelReason == NOT_CANCELLED && s.deadline != Clock.NONE && s.active) {
                if (!haveNow) {
                    now = s.clock.nanoTime();
                    haveNow = true;
                }
                if (s.deadline - now <= 0) {
                    s.cancel(DEADLINE);
                }
            }
            if (s.cancelReason != NOT_CANCELLED) {
                found = s;
            }
            if (s.shielded) {
                break;
            }
        }
        return found;
    }

    /** The earliest deadline on the chain up to and including the nearest shield, or NONE. */
    public static long effectiveDeadline(Scope s) {
        long d = Clock.NONE;
        for (; s != null; s = s.parent) {
            long sd = s.deadline;
            if (sd != Clock.NONE && (d == Clock.NONE || sd - d < 0)) {
                d = sd;
            }
            if (s.shielded) {
                break;
            }
        }
        return d;
    }

    /** Words for the exception that reports this scope's cancellation. */
    public String describeCancellation() {
        return switch (cancelReason) {
            case DEADLINE -> "cancelled: the deadline of " + this + " passed";
            case FAILURE -> "cancelled: a sibling task failed in " + this;
            case EXPLICIT -> "cancelled: cancel() was called on " + this;
            case CLOSED -> "cancelled: " + this + " closed while the task was still running";
            case SIGNAL -> "cancelled: the process received a termination signal";
            default -> "cancelled";
        };
    }
}
