package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT105 (console): reading the console on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT105.md}; cases in {@code Weft105ConsoleInNonBlockingTest}.
 */
final class Weft105ConsoleInNonBlocking extends BlockingInNonBlocking {
    Weft105ConsoleInNonBlocking() {
        super(Rule.WEFT105, Catalogue.Category.CONSOLE);
    }
}
