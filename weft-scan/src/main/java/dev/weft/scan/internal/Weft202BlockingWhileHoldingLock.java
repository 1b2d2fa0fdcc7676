package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT202: sleeping, network, database, DNS or process work while holding a monitor or a
 * {@code Lock} (a {@code try} whose {@code finally} unlocks). File I/O under a lock is usually the
 * point (serialising writers of one file) and waits under a lock are how conditions work: those
 * categories are not flagged.
 *
 * <p>See {@code docs/scan/WEFT202.md}; cases in {@code Weft202BlockingWhileHoldingLockTest}.
 */
final class Weft202BlockingWhileHoldingLock extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT202;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocking() == null || s.blocksAs(Catalogue.Category.WAIT, Catalogue.Category.FILE,
                Catalogue.Category.CONSOLE)) {
            return;
        }
        Analysis.Held h = a.held(s.path());
        if (h != Analysis.Held.NONE) {
            a.report(Rule.WEFT202, s.leaf(), s.path(), s.what() + " while holding "
                    + (h == Analysis.Held.MONITOR ? "a monitor (synchronized)" : "a lock")
                    + ": every other thread needing the lock waits for the I/O too; copy state out, release,"
                    + " then do the I/O", s.call().exact());
        }
    }
}
