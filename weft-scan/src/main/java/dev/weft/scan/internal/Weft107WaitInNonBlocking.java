package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT107 (wait): waiting on a future, latch, queue, lock or thread on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT107.md}; cases in {@code Weft107WaitInNonBlockingTest}.
 */
final class Weft107WaitInNonBlocking extends BlockingInNonBlocking {
    Weft107WaitInNonBlocking() {
        super(Rule.WEFT107, Catalogue.Category.WAIT);
    }
}
