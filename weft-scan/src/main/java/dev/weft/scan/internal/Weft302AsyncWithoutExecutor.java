package dev.weft.scan.internal;

import com.sun.source.tree.MemberReferenceTree;
import dev.weft.scan.Rule;

/**
 * WEFT302: a {@code CompletableFuture.*Async} call without an executor: it runs on the common
 * ForkJoinPool, shared by the whole JVM. {@code CompletableFuture} only: a bare
 * {@code CompletionStage}'s default executor is the implementation's choice.
 *
 * <p>See {@code docs/scan/WEFT302.md}; cases in {@code Weft302AsyncWithoutExecutorTest}.
 */
final class Weft302AsyncWithoutExecutor extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT302;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        Analysis.Call c = s.call();
        if (c.name().endsWith("Async") && c.name().length() > 5 && c.supers().contains(Analysis.CF)
                && !(s.leaf() instanceof MemberReferenceTree) && a.executorArgument(c) == null) {
            a.report(Rule.WEFT302, s.leaf(), s.path(), "CompletableFuture." + c.name() + " without an executor"
                    + " runs on the common ForkJoinPool, shared by the whole JVM; pass an executor (e.g. a"
                    + " virtual-thread-per-task executor) or use Weft tasks", c.exact());
        }
    }
}
