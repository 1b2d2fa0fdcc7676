package dev.weft.scan.internal;

import com.sun.source.tree.MemberReferenceTree;
import dev.weft.scan.Rule;

/**
 * WEFT203: a fixed-size pool built on a virtual-thread factory
 * ({@code Executors.newFixedThreadPool(n, Thread.ofVirtual().factory())}). Virtual threads are
 * cheap and never pooled; a pool only caps concurrency, which a semaphore does better.
 *
 * <p>See {@code docs/scan/WEFT203.md}; cases in {@code Weft203PooledVirtualThreadsTest}.
 */
final class Weft203PooledVirtualThreads extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT203;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.leaf() instanceof MemberReferenceTree) {
            return;
        }
        Analysis.Call c = s.call();
        Catalogue.ExecutorFactory f = a.cat.executor(c.name(), c.supers());
        if (f != null && f.kind() == Catalogue.ExecutorKind.PLATFORM && a.anyVirtualFactory(c.args())) {
            a.report(Rule.WEFT203, s.leaf(), s.path(), Analysis.describe(c, f.owner()) + " pools virtual threads:"
                    + " virtual threads are cheap and never pooled; use Executors.newVirtualThreadPerTaskExecutor()"
                    + " and bound concurrency with a Semaphore or Weft Limiter", c.exact());
        }
    }
}
