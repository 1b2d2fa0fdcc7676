package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT106 (sleep): sleeping on a thread that must not block. Not in test sources: a test that
 * sleeps in a handler simulates a slow handler on purpose (a sleep on the test's own thread is
 * WEFT305's), so one line is never reported by both rules.
 *
 * <p>See {@code docs/scan/WEFT106.md}; cases in {@code Weft106SleepInNonBlockingTest}.
 */
final class Weft106SleepInNonBlocking extends BlockingInNonBlocking {
    Weft106SleepInNonBlocking() {
        super(Rule.WEFT106, Catalogue.Category.SLEEP);
    }

    @Override
    boolean applies(Analysis a, CallSite s) {
        return !a.testFile;
    }
}
