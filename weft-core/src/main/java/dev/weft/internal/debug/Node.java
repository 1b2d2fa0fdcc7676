package dev.weft.internal.debug;

import dev.weft.Task;
import dev.weft.debug.DebugNode;
import dev.weft.internal.Scope;
import java.lang.ref.WeakReference;

/** A live node of the registry: mutable markers written by the node's own thread, read by snapshots. */
final class Node {
    final long id;
    final DebugNode.Kind kind;
    final String name;
    final Scope scope;
    final Thread thread;
    final long createdNanos = System.nanoTime();
    /** Where the node was created; its stack is materialized only when shown. */
    final Throwable site;
    /** Tasks only: the handle, weakly (an unreachable handle is how a leak is detected). */
    final WeakReference<Task<?>> task;
    volatile String waitingOn;
    volatile long waitingSince;
    /** Groups: when close started waiting for the tasks (0: not closing). */
    volatile long closingSince;
    volatile boolean slowCloseReported;
    long cancelSeenSince; // watchdog thread only
    /** Carrier hogging: when the task was first seen running without a pause (0: not seen). */
    long runningSince; // watchdog thread only
    boolean hogReported; // watchdog thread only

    Node(long id, DebugNode.Kind kind, String name, Scope scope, Thread thread, Throwable site, Task<?> task) {
        this.id = id;
        this.kind = kind;
        this.name = name;
        this.scope = scope;
        this.thread = thread;
        this.site = site;
        this.task = task == null ? null : new WeakReference<>(task);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " '" + name + "' #" + id;
    }
}
