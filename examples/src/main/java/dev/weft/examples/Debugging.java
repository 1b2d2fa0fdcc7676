package dev.weft.examples;

import dev.weft.Limiter;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.debug.Debug;
import dev.weft.debug.DebugReport;
import java.time.Duration;
import dev.weft.debug.DebugListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;

/**
 * The samples of {@code docs/debugging.md}: printing the task tree in-process, and collecting debug
 * reports with a listener (what a test or a health endpoint does).
 */
public final class Debugging {
    private Debugging() {
    }

    // tag::dump[]
    static String treeOfAStuckProgram() throws InterruptedException {
        Limiter pool = Limiter.of(1);
        CountDownLatch held = new CountDownLatch(1);
        return TaskGroup.run(group -> {
            group.launch("holder", () -> pool.run(() -> {
                held.countDown();
                Weft.sleep(Duration.ofHours(1)); // holds the only permit
                return null;
            }));
            held.await();
            group.launch("waiter", () -> pool.run(() -> null)); // waits for the permit
            while (pool.waiting() == 0) {
                Weft.sleep(Duration.ofMillis(1));
            }
            String tree = Debug.dumpText();      // Debug.dump() prints it to System.err
            group.cancel();                      // ends both tasks; the group closes cleanly
            return tree;
        });
    }
    // end::dump[]

    // tag::listener[]
    /** Collects debug reports while open: a test or a tool waits for the one it expects. */
    static final class ReportCollector implements AutoCloseable {
        private final BlockingQueue<DebugReport> reports = new LinkedBlockingQueue<>();
        private final DebugListener listener = reports::add;

        ReportCollector() {
            Debug.addListener(listener); // reports are also logged through System.Logger "dev.weft.debug"
        }

        DebugReport await(DebugReport.Kind kind, Duration max) throws InterruptedException {
            long end = System.nanoTime() + max.toNanos();
            for (DebugReport r; (r = reports.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                if (r.kind() == kind) {
                    return r;
                }
            }
            throw new AssertionError("no " + kind + " report within " + max);
        }

        @Override
        public void close() {
            Debug.removeListener(listener);
        }
    }
    // end::listener[]
}
