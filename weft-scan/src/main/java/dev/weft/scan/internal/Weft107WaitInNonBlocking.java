package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT107 (wait): waiting on a future, latch, queue, lock or thread on a thread that must not block.
 * Not flagged: reading a future known to be complete (built completed, guarded by
 * {@code isDone()}, in a callback of {@code allOf(...)} or after joining it).
 *
 * <p>See {@code docs/scan/WEFT107.md}; cases in {@code Weft107WaitInNonBlockingTest}.
 */
final class Weft107WaitInNonBlocking extends BlockingInNonBlocking {
    Weft107WaitInNonBlocking() {
        super(Rule.WEFT107, Catalogue.Category.WAIT);
    }

    /** A read of a future that is known to be complete does not wait. */
    @Override
    boolean applies(Analysis a, CallSite s) {
        return !a.futureIsComplete(s.path());
    }
}
