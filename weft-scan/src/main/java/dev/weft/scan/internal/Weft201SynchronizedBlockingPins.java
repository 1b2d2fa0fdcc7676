package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT201: a blocking call inside {@code synchronized} when compiling for a release before 24,
 * where it pins the virtual thread's carrier (JEP 491 fixed this in JDK 24).
 *
 * <p>See {@code docs/scan/WEFT201.md}; cases in {@code Weft201SynchronizedBlockingPinsTest}.
 */
final class Weft201SynchronizedBlockingPins extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT201;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocking() != null && a.release < 24 && a.held(s.path()) == Analysis.Held.MONITOR) {
            a.report(Rule.WEFT201, s.leaf(), s.path(), s.what() + " inside synchronized pins the virtual thread's"
                    + " carrier on JDK " + a.release + " (fixed in JDK 24, JEP 491); use a ReentrantLock",
                    s.call().exact());
        }
    }
}
