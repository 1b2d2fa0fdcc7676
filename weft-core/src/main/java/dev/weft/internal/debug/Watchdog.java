package dev.weft.internal.debug;

import dev.weft.debug.DebugNode;
import dev.weft.debug.DebugReport;
import dev.weft.internal.Scope;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The debug-mode watchdog: one platform daemon thread that samples the registry every quarter of
 * the smaller threshold (2 ms to 250 ms) and reports
 * <ul>
 *   <li><b>slow closing</b>: a group that is closing and has been cancelled for longer than the
 *       close grace period while tasks of it are still alive: those tasks ignore their interrupt;
 *   <li><b>carrier hogging</b>: a task whose virtual thread was seen running (state RUNNABLE, its
 *       stack not parked or yielding) at every sample for longer than the hogging threshold.
 * </ul>
 *
 * <p>Limits of the hogging check (sampling, not a scheduler hook; the JDK has no public one): a task
 * that blocks briefly between every two samples is indistinguishable from one that never blocks,
 * so a long burst of very short waits can be reported; a task held in a native call (file I/O
 * compensated by an extra carrier, a pinned wait) counts as running, which is right for a pinned
 * carrier; a hog shorter than the threshold plus one sample period may go unseen. With more than
 * {@value #MAX_SAMPLED} live tasks the hogging check is skipped (each sample reads every task's
 * stack) and the watchdog says so once.
 */
final class Watchdog {
    static final int MAX_SAMPLED = 10_000;
    private static volatile Thread thread;
    private static boolean tooManySaid;

    private Watchdog() {
    }

    static void start() {
        Thread t = Thread.ofPlatform().daemon().name("weft-debug-watchdog").unstarted(Watchdog::loop);
        thread = t;
        t.start();
    }

    static void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private static void loop() {
        while (true) {
            long period = Math.min(Registry.closeGraceNanos, Registry.hogThresholdNanos) / 4;
            period = Math.max(2_000_000L, Math.min(250_000_000L, period));
            LockSupport.parkNanos(period);
            try {
                sample(System.nanoTime());
            } catch (Throwable t) {
                Registry.LOG.log(Level.ERROR, "Weft debug watchdog: a sample failed", t);
            }
        }
    }

    private static void sample(long now) {
        Registry.purgeEnded(now);
        List<Node> nodes = new ArrayList<>(Registry.NODES.values());
        boolean hogs = nodes.size() <= MAX_SAMPLED;
        if (!hogs && !tooManySaid) {
            tooManySaid = true;
            Registry.LOG.log(Level.INFO, "Weft debug mode: more than " + MAX_SAMPLED
                    + " live tasks, carrier-hogging checks are skipped while there are that many");
        }
        for (Node n : nodes) {
            if ((n.kind == DebugNode.Kind.GROUP || n.kind == DebugNode.Kind.CANCEL_SCOPE) && !n.scope.isActive()) {
                Registry.remove(n.scope); // left open and unwound (Weft.run's main returned without closing it)
                continue;
            }
            if (n.kind == DebugNode.Kind.GROUP) {
                checkSlowClose(n, now, nodes);
            } else if (hogs && (n.kind == DebugNode.Kind.TASK || n.kind == DebugNode.Kind.ROOT)) {
                checkHog(n, now);
            }
        }
    }

    private static void checkSlowClose(Node g, long now, List<Node> nodes) {
        if (g.closingSince == 0 || g.slowCloseReported || !Scope.chainCancelled(g.scope)) {
            g.cancelSeenSince = 0;
            return;
        }
        if (g.cancelSeenSince == 0) {
            g.cancelSeenSince = now;
            return;
        }
        long waited = now - g.cancelSeenSince;
        if (waited < Registry.closeGraceNanos) {
            return;
        }
        List<Node> stuck = new ArrayList<>();
        for (Node n : nodes) {
            if (n.kind == DebugNode.Kind.TASK && n.scope.parent == g.scope && Registry.NODES.containsKey(n.scope)) {
                stuck.add(n);
            }
        }
        if (stuck.isEmpty()) {
            return;
        }
        g.slowCloseReported = true;
        StringBuilder names = new StringBuilder();
        StringBuilder detail = new StringBuilder();
        for (Node n : stuck) {
            names.append(names.isEmpty() ? "" : ", ").append('\'').append(n.name).append('\'');
            List<StackTraceElement> st = Arrays.asList(n.thread.getStackTrace());
            detail.append("  task '").append(n.name).append("' #").append(n.id).append(", thread ")
                    .append(n.thread.getState()).append(n.thread.isInterrupted() ? ", interrupt flag set"
                            : ", interrupt flag cleared (caught and ignored?)")
                    .append(System.lineSeparator())
                    .append(Format.frames("  now at", st))
                    .append(Format.frames("  spawned at", Registry.frames(n.site), 6));
        }
        Node first = stuck.get(0);
        Registry.report(DebugReport.Kind.SLOW_CLOSE, "group '" + g.name + "' has waited " + Format.ms(
                java.time.Duration.ofNanos(waited)) + " since it was cancelled for " + stuck.size()
                + (stuck.size() == 1 ? " task" : " tasks") + " that ignore their interrupt: " + names,
                detail.toString(), g.id, g.name, Arrays.asList(first.thread.getStackTrace()));
    }

    private static void checkHog(Node n, long now) {
        Thread t = n.thread;
        if (t.getState() != Thread.State.RUNNABLE) {
            n.runningSince = 0;
            return;
        }
        StackTraceElement[] st = t.getStackTrace();
        if (st.length == 0 || parkedOrYielding(st)) {
            n.runningSince = 0;
            return;
        }
        if (n.runningSince == 0) {
            n.runningSince = now;
            return;
        }
        long ran = now - n.runningSince;
        if (ran >= Registry.hogThresholdNanos && !n.hogReported) {
            n.hogReported = true;
            List<StackTraceElement> frames = Arrays.asList(st);
            Registry.report(DebugReport.Kind.CARRIER_HOG, n + " has kept its carrier thread busy for at least "
                    + Format.ms(java.time.Duration.ofNanos(ran)) + " without blocking (threshold "
                    + Format.ms(Registry.hogThreshold()) + "): CPU-bound work belongs in Weft.offload, or call"
                    + " Weft.checkpoint() in long loops", Format.frames("now at", frames)
                    + Registry.siteText(n.site), n.id, n.name, frames);
        }
    }

    /** A runnable virtual thread that is not mounted shows its park or yield frames on top. */
    static boolean parkedOrYielding(StackTraceElement[] st) {
        for (int i = 0; i < st.length && i < 8; i++) {
            String c = st[i].getClassName();
            String m = st[i].getMethodName();
            if (c.equals("jdk.internal.vm.Continuation") && m.startsWith("yield")
                    || c.equals("java.lang.VirtualThread") && (m.startsWith("park") || m.startsWith("yield"))) {
                return true;
            }
        }
        return false;
    }
}
