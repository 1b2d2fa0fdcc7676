package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT102 (process): starting or waiting for a process on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT102.md}; cases in {@code Weft102ProcessInNonBlockingTest}.
 */
final class Weft102ProcessInNonBlocking extends BlockingInNonBlocking {
    Weft102ProcessInNonBlocking() {
        super(Rule.WEFT102, Catalogue.Category.PROCESS);
    }
}
