package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT305: {@code Thread.sleep} (or {@code TimeUnit.sleep}) in test code, which makes the test
 * slow and flaky. Weft's own virtual-time sleeps are not flagged.
 *
 * <p>See {@code docs/scan/WEFT305.md}; cases in {@code Weft305SleepInTestTest}.
 */
final class Weft305SleepInTest extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT305;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocksAs(Catalogue.Category.SLEEP) && a.testFile && !s.blocking().owner().startsWith("dev.weft.")) {
            a.report(Rule.WEFT305, s.leaf(), s.path(), s.what() + " in a test makes it slow and flaky; wait for"
                    + " the condition (latch, future, Weft Event) or use virtual time", s.call().exact());
        }
    }
}
