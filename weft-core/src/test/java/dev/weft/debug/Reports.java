package dev.weft.debug;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.concurrent.locks.LockSupport;

/** Collects debug reports for a test; waits for one that matches. Close to stop listening. */
final class Reports implements AutoCloseable, DebugListener {
    final List<DebugReport> seen = new CopyOnWriteArrayList<>();

    Reports() {
        Debug.addListener(this);
    }

    @Override
    public void onReport(DebugReport report) {
        seen.add(report);
    }

    /** Waits (generously; no timing is asserted) for a report of {@code kind} matching {@code p}. */
    DebugReport await(DebugReport.Kind kind, Predicate<DebugReport> p) {
        return await(kind, p, null);
    }

    /** As {@link #await(DebugReport.Kind, Predicate)}, running {@code poke} between checks (e.g. System.gc). */
    DebugReport await(DebugReport.Kind kind, Predicate<DebugReport> p, Runnable poke) {
        long limit = System.nanoTime() + 60_000_000_000L;
        for (int i = 0; ; i++) {
            for (DebugReport r : seen) {
                if (r.kind() == kind && p.test(r)) {
                    return r;
                }
            }
            if (System.nanoTime() - limit > 0) {
                fail("no " + kind + " report came; reports seen: " + seen);
            }
            if (poke != null && i % 20 == 0) { // a full GC now and then, not so often that it starves the Cleaner
                poke.run();
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    List<DebugReport> of(DebugReport.Kind kind) {
        return seen.stream().filter(r -> r.kind() == kind).toList();
    }

    @Override
    public void close() {
        Debug.removeListener(this);
    }
}
