package dev.weft;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * asyncio's "Task exception was never retrieved", made exact: a failed task of a supervisor group
 * whose outcome nobody read is reported when the task is garbage-collected, not when its group
 * closes. A program that reads the outcomes after the group has closed (the tasks returned from
 * {@link TaskGroup#supervise}, a try-with-resources block) is not warned about failures it did
 * read; a program that drops a failure unread is, once.
 *
 * <h2>Design</h2> Each failed, watched task gets a small {@link Watch} (the task's and group's
 * names and the error, never the task itself) registered with a {@link Cleaner} for the task.
 * Every way of reading the outcome ({@link Task#outcome()}, {@link Task#join()},
 * {@link Task#outcomeNow()}, {@link Task#state()}) marks the watch read; the cleaner action logs
 * only if it was not. The cleaner's thread (a daemon) starts with the first watched failure.
 */
final class UnreadFailures {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.weft.TaskGroup");
    }

    private static final AtomicLong CHECKED = new AtomicLong();

    private UnreadFailures() {
    }

    /** The cleaner, created on first use. */
    private static final class Holder {
        static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("weft-unread-outcomes").factory());
    }

    /** What the cleaner needs to report a task, without the task. */
    static final class Watch implements Runnable {
        private final String task;
        private final String group;
        private final Throwable error;
        private volatile boolean read;

        Watch(String task, String group, Throwable error) {
            this.task = task;
            this.group = group;
            this.error = error;
        }

        void markRead() {
            read = true;
        }

        @Override
        public void run() {
            try {
                if (!read) {
                    Log.LOG.log(Level.WARNING, "task '" + task + "' of supervisor group '" + group
                            + "' failed and its outcome was never read", error);
                }
            } finally {
                CHECKED.incrementAndGet();
            }
        }
    }

    /** Watches {@code task}, which failed with {@code error}; returns the watch to mark when read. */
    static Watch watch(Task<?> task, String groupName, Throwable error) {
        Watch w = new Watch(task.name(), groupName, error);
        Holder.CLEANER.register(task, w);
        return w;
    }

    /** How many watched tasks have been collected and checked (for tests). */
    static long checked() {
        return CHECKED.get();
    }
}
