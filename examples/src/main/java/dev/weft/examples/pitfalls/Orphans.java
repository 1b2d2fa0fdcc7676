package dev.weft.examples.pitfalls;

import dev.weft.TaskGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/** Tasks nobody owns or joins: their failures vanish, nobody can cancel them. */
public final class Orphans {
    private Orphans() {
    }

    // tag::orphan-jdk[]
    /** WRONG: three ways to start work and drop its only handle. */
    public static void fireAndForget(ExecutorService pool, Runnable audit) {
        pool.submit(audit);                  // the Future holds audit's exception: dropped
        CompletableFuture.runAsync(audit);   // dropped, and on the common pool
        Thread.startVirtualThread(audit);    // an exception goes to the default handler, nobody joins
    }
    // end::orphan-jdk[]

    // tag::orphan-supervisor[]
    /** WRONG: a supervisor group's task whose failure nobody reads. */
    public static void auditInBackground() throws InterruptedException {
        TaskGroup.supervise(group -> {
            group.spawn("audit", () -> {
                throw new IllegalStateException("audit log unreachable");
            });
            return null; // the handle is dropped: the failure is never read
        });
    }
    // end::orphan-supervisor[]

    // tag::orphan-open-group[]
    /** WRONG: a group opened and never closed; main returns while its task runs. */
    public static String startAndReturn() throws InterruptedException {
        return Weft.run(() -> {
            TaskGroup group = TaskGroup.open("background"); // not in try-with-resources
            group.spawn("poller", () -> {
                Weft.sleep(Duration.ofHours(1));
                return null;
            });
            return "main is done";
        });
    }
    // end::orphan-open-group[]
}
