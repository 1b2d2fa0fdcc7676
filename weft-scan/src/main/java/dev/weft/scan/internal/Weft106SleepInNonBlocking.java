package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT106 (sleep): sleeping on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT106.md}; cases in {@code Weft106SleepInNonBlockingTest}.
 */
final class Weft106SleepInNonBlocking extends BlockingInNonBlocking {
    Weft106SleepInNonBlocking() {
        super(Rule.WEFT106, Catalogue.Category.SLEEP);
    }
}
