package dev.weft.internal.debug;

import dev.weft.debug.DebugReport;

/**
 * What the Cleaner needs to report a task whose failure nobody read once its handle is
 * unreachable. Holds no reference to the task.
 */
final class LeakState implements Runnable {
    final long id;
    final String name;
    final String group;
    final Throwable site;
    volatile Throwable failure;
    volatile boolean observed;

    LeakState(long id, String name, String group, Throwable site) {
        this.id = id;
        this.name = name;
        this.group = group;
        this.site = site;
    }

    /** The Cleaner action: the handle became unreachable. */
    @Override
    public void run() {
        Registry.PENDING.remove(this);
        Throwable f = failure;
        if (f != null && !observed) {
            Registry.report(DebugReport.Kind.UNOBSERVED_FAILURE,
                    "task '" + name + "' of group '" + group + "' failed and nobody read its failure before the handle"
                            + " was garbage collected: " + f,
                    Registry.stackText("failure", f) + Registry.siteText(site), id, name, Registry.frames(site));
        }
    }
}
