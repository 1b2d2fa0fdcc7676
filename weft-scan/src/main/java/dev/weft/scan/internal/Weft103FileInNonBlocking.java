package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT103 (file): file I/O on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT103.md}; cases in {@code Weft103FileInNonBlockingTest}.
 */
final class Weft103FileInNonBlocking extends BlockingInNonBlocking {
    Weft103FileInNonBlocking() {
        super(Rule.WEFT103, Catalogue.Category.FILE);
    }
}
