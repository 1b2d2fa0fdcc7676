package dev.weft.internal;

import java.util.ArrayDeque;

/**
 * The scope of a task group: also reaches the scopes of the group's live tasks when cancelled.
 *
 * <p>Live task scopes are reached through a singly-linked list of {@link Link}s: spawners push under
 * a small lock, a task that ends only clears its link's reference to its scope (no lock, so ending
 * tasks never contend with the spawner: the JFR profile of the spawn/join benchmark showed the
 * spawner and the ending tasks spinning on one monitor), and the next push sweeps the emptied links
 * out once as many pushes have happened since the last sweep as scopes were live then (amortised
 * O(1); at most about twice the live scopes, plus 64, stay linked). An emptied link keeps nothing
 * else alive. Cancellation, which is rare, walks the list under the lock and skips emptied links.
 */
public final class GroupScope extends Scope {
    private static final int MIN_SWEEP = 64;

    /**
     * A live task's place in the list. The list holds links, not scopes: an ended task clears
     * {@code task}, so an ended task waiting for the next sweep keeps 24 bytes alive, not its scope,
     * thread state and thread (about 400 bytes). With a million tasks spawned faster than they ran,
     * 400,000 ended tasks were still linked when the spawner stopped pushing (a heap histogram of
     * the spawn/join benchmark), and every young collection copied them.
     */
    static final class Link {
        volatile Scope task; // null once the task has ended
        Link next; // guarded by the group's lock

        Link(Scope task) {
            this.task = task;
        }
    }

    /** The list head lives in its own object: every spawn writes it, every task entry reads this scope's flags. */
    private static final class TaskList {
        Link head;
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
        Link l = new Link(task);
        task.link = l;
        synchronized (lock) {
            if (++lock.pushesSinceSweep > lock.sweepAfter) {
                sweep();
            }
            l.next = lock.head;
            lock.head = l;
        }
    }

    /** Holds the lock: unlinks every ended scope and sets when the next sweep comes. */
    private void sweep() {
        int live = 0;
        Link prev = null;
        for (Link t = lock.head; t != null; t = t.next) {
            if (t.task != null) {
                live++;
                prev = t;
            } else if (prev == null) {
                lock.head = t.next;
            } else {
                prev.next = t.next;
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
        Link l = task.link;
        if (l != null) {
            l.task = null;
        }
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
            for (Link l = lock.head; l != null; l = l.next) {
                Scope t = l.task;
                if (t != null && !t.isCancelled()) {
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
