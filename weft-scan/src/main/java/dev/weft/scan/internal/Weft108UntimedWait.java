package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT108 (opt-in): a wait from the catalogue that has no timeout ({@code Future.get()},
 * {@code CountDownLatch.await()}, {@code Thread.join()}...), wherever it runs.
 *
 * <p>See {@code docs/scan/WEFT108.md}; cases in {@code Weft108UntimedWaitTest}.
 */
final class Weft108UntimedWait extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT108;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocking() != null && s.blocking().untimed() && !a.futureIsComplete(s.path())) {
            a.report(Rule.WEFT108, s.leaf(), s.path(), s.what() + " waits with no timeout; use the timed overload"
                    + " or a Weft deadline so a stuck peer cannot hang this thread forever", s.call().exact());
        }
    }
}
