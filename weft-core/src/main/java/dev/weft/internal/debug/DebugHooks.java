package dev.weft.internal.debug;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.debug.DebugNode;
import dev.weft.debug.DebugReport;
import dev.weft.internal.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The calls Weft's core makes into debug mode. Every call site is guarded by {@link #ON}, a
 * {@code static final} read once when this class is initialized: with debug mode off the JIT
 * removes the guarded calls, and nothing of the registry (this class's other code, {@link Registry},
 * the watchdog, JFR, JMX) is ever loaded.
 */
public final class DebugHooks {
    /** Whether debug mode is on, for the life of the JVM. */
    public static final boolean ON = DebugSwitch.decide();

    static {
        if (ON) {
            // Initialize debug mode's classes now, on whichever thread first touches Weft (usually
            // main), not lazily in the first tasks: many virtual threads racing to initialize a
            // class (the JFR event classes, the registry) wait in class initialization, which pins
            // their carriers and made @WeftTest's pinning check fail on Weft's own hooks.
            Registry.init();
            for (Class<?> c : new Class<?>[] {Events.TaskSpawn.class, Events.TaskEnd.class, Events.ScopeCancel.class,
                    Node.class, LeakState.class, Format.class}) {
                try {
                    Class.forName(c.getName(), true, c.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    private DebugHooks() {
    }

    // ---- tasks

    /** A task was created and its thread is about to start; returns the token the task keeps. */
    public static Object taskSpawned(Task<?> task, Scope scope, Thread thread, String group) {
        Node n = Registry.add(DebugNode.Kind.TASK, task.name(), scope, thread, true, task);
        Events.TaskSpawn e = new Events.TaskSpawn();
        if (e.shouldCommit()) {
            e.taskId = n.id;
            e.task = n.name;
            e.group = group;
            e.commit();
        }
        return Registry.track(task, n, group);
    }

    /** The task's thread could not be started. */
    public static void taskStartFailed(Scope scope) {
        Registry.remove(scope);
    }

    /**
     * The task is ending with {@code outcome}; {@code failureUnread} says that a failure is not
     * thrown by its group (a supervisor group), so somebody must read it.
     */
    public static void taskEnded(Object token, Scope scope, Outcome<?> outcome, boolean failureUnread) {
        Node n = Registry.remove(scope);
        LeakState s = (LeakState) token;
        if (failureUnread && outcome instanceof Outcome.Failure<?> f && s != null && !s.observed) {
            s.failure = f.error();
            Registry.PENDING.add(s);
        }
        Events.TaskEnd e = new Events.TaskEnd();
        if (e.shouldCommit() && n != null) {
            e.taskId = n.id;
            e.task = n.name;
            e.group = s == null ? null : s.group;
            e.outcome = switch (outcome) {
                case Outcome.Success<?> x -> "success";
                case Outcome.Failure<?> x -> "failure: " + x.error();
                case Outcome.Cancelled<?> x -> "cancelled";
            };
            e.lifetime = System.nanoTime() - n.createdNanos;
            e.commit();
        }
    }

    /** Somebody read the task's outcome. */
    public static void observed(Object token) {
        if (token instanceof LeakState s && !s.observed) {
            s.observed = true;
            Registry.PENDING.remove(s);
        }
    }

    // ---- groups, cancel scopes, roots

    public static void groupOpened(Scope scope, String name) {
        Registry.add(DebugNode.Kind.GROUP, name, scope, Thread.currentThread(), true, null);
    }

    /** The group's owner started waiting for its tasks. */
    public static void groupClosing(Scope scope) {
        Node n = Registry.NODES.get(scope);
        if (n != null) {
            n.closingSince = System.nanoTime();
        }
    }

    public static void groupClosed(Scope scope) {
        Registry.remove(scope);
    }

    public static void scopeEntered(Scope scope) {
        Registry.add(DebugNode.Kind.CANCEL_SCOPE, scope.toString(), scope, Thread.currentThread(), false, null);
    }

    public static void scopeExited(Scope scope) {
        Registry.remove(scope);
    }

    public static void rootStarted(Scope root, Thread thread) {
        Registry.add(DebugNode.Kind.ROOT, "Weft.run", root, thread, true, null);
    }

    /** Weft.run's main returned: report anything under the root still alive, then forget the root. */
    public static void rootEnding(Scope root) {
        List<Node> left = new ArrayList<>();
        for (Node n : Registry.liveNodes()) {
            if (n.scope != root && Registry.isUnder(n, root)) {
                left.add(n);
            }
        }
        if (!left.isEmpty()) {
            List<DebugNode> nodes = new ArrayList<>();
            long now = System.nanoTime();
            StringBuilder names = new StringBuilder();
            for (Node n : left) {
                nodes.add(Registry.toDebugNode(n, now));
                if (names.length() < 200) {
                    names.append(names.isEmpty() ? "" : ", ").append(n);
                }
            }
            Node first = left.get(0);
            Registry.report(DebugReport.Kind.RUNNING_AT_EXIT, "Weft.run's main returned while " + left.size()
                    + (left.size() == 1 ? " task or scope it started is" : " tasks or scopes it started are")
                    + " still running: " + names, Format.text(nodes), first.id, first.name, Registry.frames(first.site));
        }
        Registry.remove(root);
    }

    /** {@code scope} was cancelled (first time) for {@code reason}. */
    public static void cancelled(Scope scope, int reason) {
        Events.ScopeCancel e = new Events.ScopeCancel();
        if (e.shouldCommit()) {
            Node n = Registry.NODES.get(scope);
            e.scope = n != null ? n.toString() : scope.toString();
            e.scopeId = n != null ? n.id : 0;
            e.reason = Registry.reasonName(reason);
            e.commit();
        }
    }

    // ---- waits

    /**
     * The calling thread starts a blocking Weft call described by {@code what}; returns the marker
     * to restore in {@link #endWait}. Reports the call if the thread must not block.
     */
    public static String beginWait(String what) {
        Thread t = Thread.currentThread();
        if (!t.isVirtual()) {
            if (t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool()) {
                Registry.wrongPlace(what, "a ForkJoinPool common-pool");
            } else if (t.getName().startsWith("weft-offload-")) {
                Registry.wrongPlace(what, "a Weft offload-pool");
            }
        }
        Node n = Registry.BY_THREAD.get(t.threadId());
        if (n == null) {
            return null;
        }
        String prev = n.waitingOn;
        n.waitingOn = what;
        n.waitingSince = System.nanoTime();
        return prev;
    }

    /**
     * Debug mode: a park on {@code blocker} by a registered thread that is not already inside a
     * described Weft wait (a Limiter, a join, a sleep) marks it as waiting on the blocker, e.g.
     * {@code "Channel@1b6d3586"}, so the task tree shows channels, work queues, events and selects.
     *
     * @param blocker the object the thread parks on
     * @return whether the wait was marked; if so, {@code endWait(null)} clears it
     */
    public static boolean beginParkWait(Object blocker) {
        Node n = Registry.BY_THREAD.get(Thread.currentThread().threadId());
        if (n == null || n.waitingOn != null || blocker == null) {
            return false;
        }
        n.waitingOn = blocker.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(blocker));
        n.waitingSince = System.nanoTime();
        return true;
    }

    /**
     * Ends a wait begun by {@link #beginWait} or {@link #beginParkWait}, restoring the marker it replaced.
     *
     * @param previous the marker {@code beginWait} returned
     */
    public static void endWait(String previous) {
        Node n = Registry.BY_THREAD.get(Thread.currentThread().threadId());
        if (n != null) {
            n.waitingOn = previous;
        }
    }
}
