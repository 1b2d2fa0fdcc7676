package dev.weft.internal.debug;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** Weft's own JFR events (debug mode), so JDK Mission Control shows tasks and cancellations. */
final class Events {
    private Events() {
    }

    @Name("dev.weft.TaskSpawn")
    @Label("Weft Task Spawn")
    @Category("Weft")
    @Description("A Weft task was spawned into a task group")
    @StackTrace(true)
    static final class TaskSpawn extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task")
        String task;
        @Label("Group")
        String group;
    }

    @Name("dev.weft.TaskEnd")
    @Label("Weft Task End")
    @Category("Weft")
    @Description("A Weft task ended")
    @StackTrace(false)
    static final class TaskEnd extends Event {
        @Label("Task Id")
        long taskId;
        @Label("Task")
        String task;
        @Label("Group")
        String group;
        @Label("Outcome")
        String outcome;
        @Label("Lifetime")
        @Timespan(Timespan.NANOSECONDS)
        long lifetime;
    }

    @Name("dev.weft.ScopeCancel")
    @Label("Weft Scope Cancel")
    @Category("Weft")
    @Description("A Weft task, group or cancel scope was cancelled")
    @StackTrace(true)
    static final class ScopeCancel extends Event {
        @Label("Scope")
        String scope;
        @Label("Scope Id")
        long scopeId;
        @Label("Reason")
        String reason;
    }
}
