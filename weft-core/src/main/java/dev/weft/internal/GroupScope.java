package dev.weft.internal;

import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The scope of a task group: also reaches the scopes of the group's live tasks when cancelled. */
public final class GroupScope extends Scope {
    private final Set<Scope> tasks = ConcurrentHashMap.newKeySet();
    private final String name;

    public GroupScope(ThreadState owner, Clock clock, String name) {
        super(owner, clock);
        this.name = name;
    }

    public void addTask(Scope task) {
        tasks.add(task);
    }

    public void removeTask(Scope task) {
        tasks.remove(task);
    }

    @Override
    protected void forEachChildTask(ArrayDeque<Scope> work) {
        for (Scope t : tasks) {
            if (!t.isCancelled()) {
                work.add(t);
            }
        }
    }

    @Override
    public String toString() {
        return "TaskGroup '" + name + "'";
    }
}
