package dev.weft.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide task counts behind {@link dev.weft.debug.TaskStats}: one {@link LongAdder}
 * increment when a task starts and one when it ends. Always on (not tied to debug mode): a
 * LongAdder increment allocates nothing and takes no lock, and is spread over cells under
 * contention.
 */
public final class TaskCounters {
    /** Tasks whose thread started. */
    public static final LongAdder STARTED = new LongAdder();
    /** Tasks that ended with a value. */
    public static final LongAdder SUCCEEDED = new LongAdder();
    /** Tasks that ended with a failure. */
    public static final LongAdder FAILED = new LongAdder();
    /** Tasks that ended cancelled. */
    public static final LongAdder CANCELLED = new LongAdder();

    private TaskCounters() {
    }
}
