package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT101 (net): a blocking socket, HTTP or JDBC call on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT101.md}; cases in {@code Weft101NetworkInNonBlockingTest}.
 */
final class Weft101NetworkInNonBlocking extends BlockingInNonBlocking {
    Weft101NetworkInNonBlocking() {
        super(Rule.WEFT101, Catalogue.Category.NET, Catalogue.Category.JDBC);
    }
}
