package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT107 (wait): waiting on a future, latch, queue, lock or thread on a thread that must not block.
 * Not flagged: reading a future known to be complete (built completed, guarded by
 * {@code isDone()} or a readiness helper such as {@code isReady(f)}, in a callback of
 * {@code allOf(...)}, a lambda or an anonymous class, or after joining it, filtered on
 * {@code getNow(null) != null}, the head of the {@code thenX} chain the lambda is a stage of, or passed done
 * by every caller of a private helper), and
 * {@code put} to an unbounded queue.
 *
 * <p>See {@code docs/scan/WEFT107.md}; cases in {@code Weft107WaitInNonBlockingTest}.
 */
final class Weft107WaitInNonBlocking extends BlockingInNonBlocking {
    Weft107WaitInNonBlocking() {
        super(Rule.WEFT107, Catalogue.Category.WAIT);
    }

    /**
     * A read of a future that is known to be complete does not wait, nor does {@code put} or
     * {@code offer} to a queue of this file built without a capacity (ADR 0122).
     */
    @Override
    boolean applies(Analysis a, CallSite s) {
        String n = s.call().name();
        if ((n.equals("put") || n.equals("offer")) && s.call().receiver() != null
                && a.unboundedQueue(s.call().receiver())) {
            return false;
        }
        return !a.futureIsComplete(s.path());
    }
}
