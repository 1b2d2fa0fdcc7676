package dev.weft.debug;

import dev.weft.internal.TaskCounters;

/**
 * Process-wide counts of Weft tasks (every {@code TaskGroup.spawn}/{@code launch}, and the tasks
 * that {@code Weft.gather}, {@code map}, {@code race} and the resilience and HTTP modules spawn),
 * for metrics: {@code weft-micrometer} exports them as {@code weft.tasks.*}.
 *
 * {@snippet :
 * TaskStats s = TaskStats.now();
 * System.out.println(s.running() + " tasks running, " + s.failed() + " failed so far");
 * }
 *
 * <p>Always counted, debug mode or not: a task start and a task end each add one to a
 * {@link java.util.concurrent.atomic.LongAdder} (no allocation, no lock). The counters are
 * monotonic from JVM start and never reset.
 *
 * <h2>Consistency</h2> A snapshot reads the counters one after another, not atomically: while
 * tasks start and end concurrently, {@code started} may be a little ahead of or behind the sum of
 * the ended counts; {@link #running()} is clamped at zero. Once no task is starting or ending, the
 * snapshot is exact: {@code started == succeeded + failed + cancelled + running}.
 *
 * @param started tasks whose thread started since the JVM started
 * @param succeeded tasks that ended with a value
 * @param failed tasks that ended with a failure (an exception that was not a cancellation of the task)
 * @param cancelled tasks that ended cancelled
 */
public record TaskStats(long started, long succeeded, long failed, long cancelled) {

    /**
     * The counts now.
     *
     * @return a snapshot of the process-wide task counters
     */
    public static TaskStats now() {
        // ended counts first: a task counted as ended was counted as started before it, so reading
        // started last keeps running() from going negative in the common case
        long s = TaskCounters.SUCCEEDED.sum();
        long f = TaskCounters.FAILED.sum();
        long c = TaskCounters.CANCELLED.sum();
        return new TaskStats(TaskCounters.STARTED.sum(), s, f, c);
    }

    /**
     * Tasks started and not yet ended.
     *
     * @return {@code started - succeeded - failed - cancelled}, at least zero
     */
    public long running() {
        return Math.max(0, started - succeeded - failed - cancelled);
    }

    /**
     * Tasks ended, however they ended.
     *
     * @return {@code succeeded + failed + cancelled}
     */
    public long ended() {
        return succeeded + failed + cancelled;
    }
}
