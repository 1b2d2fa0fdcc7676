package dev.weft.internal;

import java.util.ArrayDeque;

/**
 * The scope of a task group: also reaches the scopes of the group's live tasks when cancelled.
 *
 * <p>Live task scopes form an intrusive doubly-linked list under a small lock: linking and
 * unlinking are O(1) with no allocation (a concurrent hash set here cost more than the rest of a
 * spawn, per the JFR profile of the spawn/join benchmark), and cancellation, which is rare, walks
 * the list under the same lock.
 */
public final class GroupScope extends Scope {
    /** The list head lives in its own object: every spawn writes it, every task entry reads this scope's flags. */
    private static final class TaskList {
        Scope head;
    }

    private final TaskList lock = new TaskList();
    private final String name;

    public GroupScope(ThreadState owner, Clock clock, String name) {
        super(owner, clock);
        this.name = name;
    }

    public void addTask(Scope task) {
        synchronized (lock) {
            task.nextTask = lock.head;
            task.prevTask = null;
            if (lock.head != null) {
                lock.head.prevTask = task;
            }
            lock.head = task;
            task.linked = true;
        }
    }

    public void removeTask(Scope task) {
        synchronized (lock) {
            if (!task.linked) {
                return;
            }
            task.linked = false;
            Scope p = task.prevTask;
            Scope n = task.nextTask;
            if (p != null) {
                p.nextTask = n;
            } else {
                lock.head = n;
            }
            if (n != null) {
                n.prevTask = p;
            }
            task.prevTask = null;
            task.nextTask = null;
        }
    }

    @Override
    protected void forEachChildTask(ArrayDeque<Scope> work) {
        synchronized (lock) {
            for (Scope t = lock.head; t != null; t = t.nextTask) {
                if (!t.isCancelled()) {
                    work.add(t);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "TaskGroup '" + name + "'";
    }
}
