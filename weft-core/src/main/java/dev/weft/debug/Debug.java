package dev.weft.debug;

import dev.weft.internal.debug.DebugHooks;
import dev.weft.internal.debug.DebugSwitch;
import dev.weft.internal.debug.Registry;
import dev.weft.internal.debug.TasksMBean;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Weft's debug mode: asyncio's debug mode, aiomonitor and "Task was destroyed but it is pending"
 * for Java virtual threads.
 *
 * <h2>Turning it on</h2> Debug mode is decided once per JVM, the first time Weft is used: on if the
 * system property {@code weft.debug} or the environment variable {@code WEFT_DEBUG} is {@code true}
 * ({@code 1}, {@code yes}, {@code on}), or if {@link #enable()} was called before. Off, it costs
 * nothing measurable: the hooks in Weft's core are guarded by a {@code static final} flag that the
 * JIT folds away, and none of this package's machinery is loaded.
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li><b>Task tree.</b> Every live {@code Weft.run} root, task group, task and cancel scope is
 *       registered with its name, state, parent, age, cancellation, deadline, what it waits on
 *       (join, {@code Limiter}, sleep, group close) and where it was created (the creation stack is
 *       captured in debug mode only). {@link #snapshot()}, {@link #dumpText()}, {@link #dumpJson()},
 *       {@link #dump()}; the same over JMX ({@value #MBEAN_NAME}) for {@code weft tasks <pid>}.
 *   <li><b>Reports</b> ({@link DebugReport}), logged through {@link System.Logger}
 *       {@code dev.weft.debug} at {@code WARNING} and handed to {@linkplain #addListener listeners}:
 *       failures nobody read when the task handle is garbage collected; tasks still running when
 *       {@code Weft.run}'s main returns; groups whose close waits beyond a grace period for tasks
 *       that ignore their interrupt; pinned carriers (JFR); CPU-bound tasks hogging a carrier;
 *       blocking Weft calls on threads that must not block.
 *   <li><b>JFR events</b> {@code dev.weft.TaskSpawn}, {@code dev.weft.TaskEnd},
 *       {@code dev.weft.ScopeCancel} (category "Weft"), visible in JDK Mission Control.
 * </ul>
 *
 * <h2>Settings</h2> System properties read when debug mode starts, each also settable here at run
 * time: {@code weft.debug.closeGrace} (default 2 s; {@link #setCloseGrace}),
 * {@code weft.debug.pinThreshold} (default 20 ms; {@link #setPinThreshold}),
 * {@code weft.debug.hogThreshold} (default 100 ms, asyncio's slow-callback duration;
 * {@link #setHogThreshold}), written {@code 20ms}, {@code 2s}, a number of milliseconds or ISO-8601;
 * {@code weft.debug.jfr} (default true: the pinning monitor; false saves its start-up) and
 * {@code weft.debug.jmx} (default true: register the MBean).
 *
 * <h2>Thread safety</h2> Every method may be called from any thread.
 */
public final class Debug {
    /** The JMX object name of the task-tree MBean. */
    public static final String MBEAN_NAME = "dev.weft:type=Tasks";

    private Debug() {
    }

    /**
     * Turns debug mode on. Call it before anything else uses Weft (first thing in {@code main}).
     *
     * @throws IllegalStateException if Weft was already used with debug mode off (the mode is fixed
     *     for the life of the JVM at that moment)
     */
    public static void enable() {
        DebugSwitch.request();
        if (!DebugHooks.ON) {
            throw new IllegalStateException("Weft debug mode could not be turned on");
        }
        Registry.init();
    }

    /**
     * Whether debug mode is on. Calling this fixes the mode if Weft was not used yet.
     *
     * @return true if debug mode is on
     */
    public static boolean isEnabled() {
        return DebugHooks.ON;
    }

    /**
     * The live task tree, parents before children.
     *
     * @return the nodes (empty when debug mode is off)
     */
    public static List<DebugNode> snapshot() {
        return DebugHooks.ON ? Registry.snapshot() : List.of();
    }

    /**
     * The task tree as indented text, one node a line.
     *
     * @return the text (saying that debug mode is off, if it is)
     */
    public static String dumpText() {
        return DebugHooks.ON ? Registry.text() : "Weft debug mode is off: start with -Dweft.debug=true to see the task tree"
                + System.lineSeparator();
    }

    /**
     * The task tree as JSON: {@code {"pid":..,"time":..,"nodes":[{"id","parent","kind","name","state",
     * "cancelled","ageMs","thread","threadState","waitingOn","waitingMs","deadlineRemainingMs",
     * "spawnSite"}]}}.
     *
     * @return the JSON text
     * @throws IllegalStateException if debug mode is off
     */
    public static String dumpJson() {
        requireOn("dumpJson()");
        return Registry.json();
    }

    /** Prints {@link #dumpText()} to {@code System.err}. */
    public static void dump() {
        System.err.print(dumpText());
    }

    /**
     * Adds a listener for reports.
     *
     * @param listener the listener
     * @throws IllegalStateException if debug mode is off (nothing would ever be reported)
     */
    public static void addListener(DebugListener listener) {
        Objects.requireNonNull(listener, "listener");
        requireOn("addListener()");
        Registry.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     * @return whether it was registered
     */
    public static boolean removeListener(DebugListener listener) {
        return DebugHooks.ON && Registry.removeListener(listener);
    }

    /**
     * Failures of tasks (in supervisor groups, which do not throw them) that nobody has read yet,
     * whether or not their handles are still reachable. A test checks this is empty.
     *
     * @return one {@link DebugReport.Kind#UNOBSERVED_FAILURE} report per task (empty when off)
     */
    public static List<DebugReport> unreadFailures() {
        return DebugHooks.ON ? Registry.unreadFailures() : List.of();
    }

    /**
     * Cancels a live task, group or cancel scope by its {@link DebugNode#id()}.
     *
     * @param id the node id
     * @return a sentence saying what was done
     * @throws IllegalStateException if debug mode is off
     */
    public static String cancel(long id) {
        requireOn("cancel()");
        return Registry.cancel(id);
    }

    /**
     * Registers the task-tree MBean ({@value #MBEAN_NAME}) if it is not registered yet (debug mode
     * registers it by itself unless {@code -Dweft.debug.jmx=false}).
     *
     * @throws IllegalStateException if debug mode is off (the tree would be empty)
     */
    public static void registerMBean() {
        requireOn("registerMBean()");
        TasksMBean.register();
    }

    /**
     * Sets how long a cancelled group's close may wait for its tasks before the ones still running
     * are reported as ignoring their interrupt.
     *
     * @param grace a positive duration (default 2 s)
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if debug mode is off
     */
    public static void setCloseGrace(Duration grace) {
        requireOn("setCloseGrace()");
        Registry.setCloseGrace(grace);
    }

    /**
     * Sets how long a virtual thread may stay pinned to its carrier before it is reported.
     *
     * @param threshold a positive duration (default 20 ms)
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if debug mode is off
     */
    public static void setPinThreshold(Duration threshold) {
        requireOn("setPinThreshold()");
        Registry.setPinThreshold(threshold);
    }

    /**
     * Sets how long a task may run without blocking before it is reported as hogging its carrier.
     *
     * @param threshold a positive duration (default 100 ms)
     * @throws IllegalArgumentException if not positive
     * @throws IllegalStateException if debug mode is off
     */
    public static void setHogThreshold(Duration threshold) {
        requireOn("setHogThreshold()");
        Registry.setHogThreshold(threshold);
    }

    /**
     * The current settings.
     *
     * @return close grace, pin threshold, hog threshold, in that order
     * @throws IllegalStateException if debug mode is off
     */
    public static List<Duration> thresholds() {
        requireOn("thresholds()");
        return List.of(Registry.closeGrace(), Registry.pinThreshold(), Registry.hogThreshold());
    }

    /**
     * Waits until the in-process JFR stream has delivered the events recorded before this call
     * (pinning reports arrive in batches, about once a second).
     *
     * @param max the longest wait
     * @return true once delivered; false if pinning detection is off or {@code max} passed
     * @throws InterruptedException if interrupted while waiting
     * @throws IllegalStateException if debug mode is off
     */
    public static boolean awaitJfrDelivery(Duration max) throws InterruptedException {
        requireOn("awaitJfrDelivery()");
        return Registry.awaitJfrFlush(Objects.requireNonNull(max, "max"));
    }

    /**
     * The highest registry id handed out so far. Ids only grow: nodes with a greater id were
     * created after this call (a test marks where it started).
     *
     * @return the last id, 0 if none (or debug mode is off)
     */
    public static long lastId() {
        return DebugHooks.ON ? Registry.lastId() : 0;
    }

    private static void requireOn(String what) {
        if (!DebugHooks.ON) {
            throw new IllegalStateException("Debug." + what + " needs Weft debug mode: start the JVM with"
                    + " -Dweft.debug=true (or WEFT_DEBUG=1), or call Debug.enable() before using Weft");
        }
    }
}
