package dev.weft.internal;

import java.util.ArrayDeque;

/**
 * The scope of a task group: also reaches the scopes of the group's live tasks when cancelled.
 *
 * <p>Live task scopes form an intrusive singly-linked list: spawners push under a small lock, a
 * task that ends only clears its {@code linked} flag (no lock, so ending tasks never contend with
 * the spawner: the JFR profile of the spawn/join benchmark showed the spawner and the ending tasks
 * spinning on one monitor), and the next push sweeps the ended scopes out once as many pushes have
 * happened since the last sweep as scopes were live then (amortised O(1); at most about twice the
 * live scopes, plus 64, stay linked). Cancellation, which is rare, walks the list under the lock
 * and skips the ended scopes. An ended task scope holds no task (see {@code Task}), only its
 * thread's state.
 */
public final class GroupScope extends Scope {
    private static final int MIN_SWEEP = 64;

    /** The list head lives in its own object: every spawn writes it, every task entry reads this scope's flags. */
    private static final class TaskList {
        Scope head;
        int pushesSinceSweep;
        int sweepAfter = MIN_SWEEP;
    }

    private final TaskList lock = new TaskList();
    private final String name;

    public GroupScope(ThreadState owner, Clock clock, String name) {
        super(owner, clock);
        this.name = name;
    }

    public void addTask(Scope task) {
        synchronized (lock) {
            if (++lock.pushesSinceSweep > lock.sweepAfter) {
                sweep();
            }
            task.linked = true;
            task.nextTask = lock.head;
            lock.head = task;
        }
    }

    /** Holds the lock: unlinks every ended scope and sets when the next sweep comes. */
    private void sweep() {
        int live = 0;
        Scope prev = null;
        for (Scope t = lock.head; t != null; t = t.nextTask) {
            if (t.linked) {
                live++;
                prev = t;
            } else if (prev == null) {
                lock.head = t.nextTask;
            } else {
                prev.nextTask = t.nextTask;
            }
        }
        lock.pushesSinceSweep = 0;
        lock.sweepAfter = Math.max(MIN_SWEEP, live);
    }

    /**
     * The task has ended: it is skipped from now on, and unlinked by a later sweep. Never blocks.
     *
     * @param task the task's scope
     */
    public void removeTask(Scope task) {
        task.linked = false;
    }

    /**
     * The group has closed (every task has ended): unlinks the ended scopes now. A finished task's
     * handle keeps its group reachable, and the group's unswept scopes would keep every task's
     * thread state (and with it the thread) alive: a million retained handles held about 300 MB
     * more than before the lock-free list (the JMH spawn/join run slowed 5-8x in the collector).
     */
    public void dropEndedTasks() {
        synchronized (lock) {
            sweep();
        }
    }

    @Override
    protected void forEachChildTask(ArrayDeque<Scope> work) {
        synchronized (lock) {
            for (Scope t = lock.head; t != null; t = t.nextTask) {
                if (t.linked && !t.isCancelled()) {
                    work.add(t);
                }
            }
        }
    }

    /**
     * The group's name.
     *
     * @return the name given to the group
     */
    public String groupName() {
        return name;
    }

    @Override
    public String toString() {
        return "TaskGroup '" + name + "'";
    }
}
