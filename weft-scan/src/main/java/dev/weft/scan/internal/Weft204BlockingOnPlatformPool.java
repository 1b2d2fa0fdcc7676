package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT204: sleeping, network, database, DNS or process work in a task submitted to a pool of
 * platform threads: each blocked task holds one of a few threads. File I/O, waits and console
 * input are not flagged (short, or the pool's own business).
 *
 * <p>See {@code docs/scan/WEFT204.md}; cases in {@code Weft204BlockingOnPlatformPoolTest}.
 */
final class Weft204BlockingOnPlatformPool extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT204;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocking() == null || s.blocksAs(Catalogue.Category.FILE, Catalogue.Category.WAIT,
                Catalogue.Category.CONSOLE)) {
            return;
        }
        a.withContext(a.contextOf(s.path()), ctx -> {
            if (ctx.kind() == Ctx.Kind.PLATFORM_POOL) {
                a.report(Rule.WEFT204, s.leaf(), s.path(), s.what() + " blocks a platform pool thread ("
                        + ctx.why() + "); blocking work belongs on virtual threads"
                        + " (Executors.newVirtualThreadPerTaskExecutor())", s.call().exact() && ctx.exact());
            }
        });
    }
}
