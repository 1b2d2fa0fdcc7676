package dev.weft.internal.debug;

import dev.weft.Task;
import dev.weft.debug.DebugListener;
import dev.weft.debug.DebugNode;
import dev.weft.debug.DebugReport;
import dev.weft.internal.Clock;
import dev.weft.internal.Scope;
import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The debug-mode registry: every live root, group, task and cancel scope, keyed by its
 * {@link Scope}; reports and their listeners; the settings. Loaded only in debug mode.
 *
 * <p>Design: nodes are added by the thread that creates them (before a task's thread starts) and
 * removed by the thread that ends them; parents are not stored but found at snapshot time by
 * walking {@link Scope#parent} to the nearest registered scope, so unregistered scopes
 * ({@code VirtualTime.run}) are skipped and nothing is updated when a scope ends. Markers
 * ("waiting on", "closing since") are volatile fields written by the node's own thread.
 */
public final class Registry {
    static final System.Logger LOG = System.getLogger("dev.weft.debug");
    private static final AtomicLong SEQ = new AtomicLong();
    static final ConcurrentHashMap<Scope, Node> NODES = new ConcurrentHashMap<>();
    /** Task and root nodes by the id of the thread that runs them. */
    static final ConcurrentHashMap<Long, Node> BY_THREAD = new ConcurrentHashMap<>();
    /** Tasks that failed in a group that does not throw their failure, not yet read. */
    static final Set<LeakState> PENDING = ConcurrentHashMap.newKeySet();
    /** Tasks that ended lately, by thread id, so that late JFR events still name their task. */
    private static final ConcurrentHashMap<Long, Who> ENDED = new ConcurrentHashMap<>();
    private static final int MAX_ENDED = 100_000;
    private static final long ENDED_KEEP_NANOS = 15_000_000_000L;
    private static final CopyOnWriteArrayList<DebugListener> LISTENERS = new CopyOnWriteArrayList<>();
    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("weft-debug-cleaner").factory());
    private static final Set<String> WRONG_PLACE_SEEN = ConcurrentHashMap.newKeySet();

    static volatile long closeGraceNanos = Settings.duration("weft.debug.closeGrace", Duration.ofSeconds(2)).toNanos();
    static volatile long pinThresholdNanos = Settings.duration("weft.debug.pinThreshold", Duration.ofMillis(20)).toNanos();
    static volatile long hogThresholdNanos = Settings.duration("weft.debug.hogThreshold", Duration.ofMillis(100)).toNanos();
    static final boolean JFR = Settings.flag("weft.debug.jfr", true);
    static final boolean JMX = Settings.flag("weft.debug.jmx", true);

    static {
        Watchdog.start();
        if (JFR) {
            PinMonitor.start();
        }
        if (JMX) {
            TasksMBean.register();
        }
    }

    private Registry() {
    }

    /** Makes sure the registry (watchdog, pin monitor, MBean) is running. */
    public static void init() {
        // class initialization does the work
    }

    static long nextId() {
        return SEQ.incrementAndGet();
    }

    /** The highest id handed out so far (ids only grow: a test marks where it started). */
    public static long lastId() {
        return SEQ.get();
    }

    static Node add(DebugNode.Kind kind, String name, Scope scope, Thread thread, boolean captureSite, Task<?> task) {
        Node n = new Node(nextId(), kind, name, scope, thread,
                captureSite ? new Throwable("created here") : null, task);
        NODES.put(scope, n);
        if (kind == DebugNode.Kind.TASK || kind == DebugNode.Kind.ROOT) {
            BY_THREAD.put(thread.threadId(), n);
        }
        return n;
    }

    static Node remove(Scope scope) {
        Node n = NODES.remove(scope);
        if (n != null && (n.kind == DebugNode.Kind.TASK || n.kind == DebugNode.Kind.ROOT)) {
            BY_THREAD.remove(n.thread.threadId(), n);
            if (ENDED.size() < MAX_ENDED) {
                ENDED.put(n.thread.threadId(), new Who(n.id, n.toString(), n.name, n.site, System.nanoTime()));
            }
        }
        return n;
    }

    /** The task or root that runs or recently ran (JFR events arrive late) on the thread with this id. */
    static Who byThread(long threadId) {
        Node n = BY_THREAD.get(threadId);
        return n != null ? new Who(n.id, n.toString(), n.name, n.site, 0) : ENDED.get(threadId);
    }

    /** Who ran on a thread: what a late report needs, without holding the task (or its scope) alive. */
    record Who(long id, String label, String name, Throwable site, long endedNanos) {
    }

    /** Forgets tasks that ended more than {@code ENDED_KEEP_NANOS} ago (called by the watchdog). */
    static void purgeEnded(long now) {
        ENDED.values().removeIf(w -> now - w.endedNanos() > ENDED_KEEP_NANOS);
    }

    static LeakState track(Task<?> task, Node n, String group) {
        LeakState s = new LeakState(n.id, n.name, group, n.site);
        CLEANER.register(task, s);
        return s;
    }

    // ---- listeners and reports

    public static void addListener(DebugListener l) {
        LISTENERS.add(l);
    }

    public static boolean removeListener(DebugListener l) {
        return LISTENERS.remove(l);
    }

    static void report(DebugReport.Kind kind, String summary, String detail, long id, String name,
            List<StackTraceElement> stack) {
        DebugReport r = new DebugReport(kind, summary, detail, id, name, stack, Instant.now());
        LOG.log(Level.WARNING, r.toString());
        for (DebugListener l : LISTENERS) {
            try {
                l.onReport(r);
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "a Weft DebugListener threw while handling a " + kind + " report", t);
            }
        }
    }

    /** A blocking Weft call on a thread that must not block: reported once per thread kind, call and caller. */
    static void wrongPlace(String what, String threadKind) {
        StackTraceElement[] st = new Throwable().getStackTrace();
        StackTraceElement user = Format.firstUserFrame(Arrays.asList(st));
        String key = threadKind + "|" + what.replaceAll("'.*'", "") + "|" + user;
        if (!WRONG_PLACE_SEEN.add(key)) {
            return;
        }
        List<StackTraceElement> frames = Arrays.asList(st).subList(Math.min(2, st.length), st.length);
        report(DebugReport.Kind.BLOCKING_IN_WRONG_PLACE,
                "blocking Weft call (" + what + ") on " + threadKind + " thread '" + Thread.currentThread().getName()
                        + "'" + (user == null ? "" : " at " + user) + ": it holds a pool thread other work needs;"
                        + " run it in a Weft task (a virtual thread) instead",
                Format.frames("stack", frames), 0, null, frames);
    }

    // ---- queries

    /** The node registered for {@code s} or the nearest registered scope above it. */
    static Node nearest(Scope s) {
        for (; s != null; s = s.parent) {
            Node n = NODES.get(s);
            if (n != null) {
                return n;
            }
        }
        return null;
    }

    static boolean isUnder(Node n, Scope ancestor) {
        for (Scope s = n.scope.parent; s != null; s = s.parent) {
            if (s == ancestor) {
                return true;
            }
        }
        return false;
    }

    static List<Node> liveNodes() {
        List<Node> list = new ArrayList<>(NODES.size());
        for (Node n : NODES.values()) {
            if (n.kind == DebugNode.Kind.TASK || n.kind == DebugNode.Kind.ROOT || n.scope.isActive()) {
                list.add(n); // an inactive group or cancel scope was unwound, not closed: not live
            }
        }
        list.sort(Comparator.comparingLong(n -> n.id));
        return list;
    }

    public static List<DebugNode> snapshot() {
        long now = System.nanoTime();
        List<DebugNode> out = new ArrayList<>();
        for (Node n : liveNodes()) {
            out.add(toDebugNode(n, now));
        }
        return out;
    }

    static DebugNode toDebugNode(Node n, long now) {
        Node p = nearest(n.scope.parent);
        String state = switch (n.kind) {
            case GROUP -> n.closingSince != 0 ? "CLOSING" : "OPEN";
            case CANCEL_SCOPE -> "ACTIVE";
            default -> "RUNNING";
        };
        int reason = n.scope.cancelReason();
        String waiting = n.waitingOn;
        long since = n.waitingSince;
        Duration waitingFor = waiting == null ? Duration.ZERO : Duration.ofNanos(Math.max(0, now - since));
        long d = n.scope.deadline;
        Duration remaining = d == Clock.NONE ? null : Duration.ofNanos(d - n.scope.clock.nanoTime());
        return new DebugNode(n.id, p == null ? 0 : p.id, n.kind, n.name, state, reasonName(reason),
                Duration.ofNanos(now - n.createdNanos), n.thread.getName().isEmpty() ? n.thread.toString()
                        : n.thread.getName(),
                n.thread.getState().name(), waiting, waitingFor, remaining, frames(n.site));
    }

    static String reasonName(int reason) {
        return switch (reason) {
            case Scope.NOT_CANCELLED -> null;
            case Scope.EXPLICIT -> "explicit";
            case Scope.DEADLINE -> "deadline";
            case Scope.FAILURE -> "failure";
            case Scope.CLOSED -> "closed";
            case Scope.SIGNAL -> "signal";
            default -> "reason " + reason;
        };
    }

    /** Cancels a live node by id; returns what happened, in words. */
    public static String cancel(long id) {
        for (Node n : NODES.values()) {
            if (n.id == id) {
                boolean did = n.scope.cancel(Scope.EXPLICIT);
                return did ? "cancelled " + n : n + " was already cancelled";
            }
        }
        return "no live task, group or scope has id " + id + " (it may have ended)";
    }

    public static List<DebugReport> unreadFailures() {
        List<DebugReport> out = new ArrayList<>();
        for (LeakState s : PENDING) {
            Throwable f = s.failure;
            if (f != null && !s.observed) {
                out.add(new DebugReport(DebugReport.Kind.UNOBSERVED_FAILURE, "task '" + s.name + "' of group '" + s.group
                        + "' failed and nobody has read its failure: " + f,
                        stackText("failure", f) + siteText(s.site), s.id, s.name, frames(s.site), Instant.now()));
            }
        }
        out.sort(Comparator.comparingLong(DebugReport::taskId));
        return out;
    }

    // ---- settings

    public static void setCloseGrace(Duration d) {
        closeGraceNanos = Settings.positive("close grace", d).toNanos();
        Watchdog.wakeUp();
    }

    public static void setHogThreshold(Duration d) {
        hogThresholdNanos = Settings.positive("hog threshold", d).toNanos();
        Watchdog.wakeUp();
    }

    public static void setPinThreshold(Duration d) {
        pinThresholdNanos = Settings.positive("pin threshold", d).toNanos();
        if (JFR) {
            PinMonitor.threshold(d);
        }
    }

    public static Duration closeGrace() {
        return Duration.ofNanos(closeGraceNanos);
    }

    public static Duration hogThreshold() {
        return Duration.ofNanos(hogThresholdNanos);
    }

    public static Duration pinThreshold() {
        return Duration.ofNanos(pinThresholdNanos);
    }

    public static boolean awaitJfrFlush(Duration max) throws InterruptedException {
        return JFR && PinMonitor.awaitFlush(max);
    }

    public static String text() {
        return Format.text();
    }

    public static String json() {
        return Format.json();
    }

    // ---- text helpers shared by reports

    static List<StackTraceElement> frames(Throwable site) {
        return site == null ? List.of() : Format.dropWeftFrames(Arrays.asList(site.getStackTrace()));
    }

    static String siteText(Throwable site) {
        return site == null ? "" : Format.frames("spawned at", frames(site));
    }

    static String stackText(String title, Throwable t) {
        return "  " + title + ": " + t + System.lineSeparator()
                + Format.frames("    at", Arrays.asList(t.getStackTrace()), 12);
    }
}
