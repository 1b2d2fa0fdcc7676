package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT109: a blocking call in a static initializer (or a static field's initializer). Class
 * initialization holds the class's init lock: every thread that touches the class waits, and a
 * virtual thread pins its carrier.
 *
 * <p>See {@code docs/scan/WEFT109.md}; cases in {@code Weft109BlockingInStaticInitTest}.
 */
final class Weft109BlockingInStaticInit extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT109;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocking() == null) {
            return;
        }
        a.withContext(a.contextOf(s.path()), ctx -> {
            if (ctx.kind() == Ctx.Kind.STATIC_INIT) {
                a.report(Rule.WEFT109, s.leaf(), s.path(), s.what() + " in a " + ctx.why()
                        + ": class initialization pins the carrier thread and blocks every thread that touches"
                        + " the class; initialize lazily", s.call().exact() && ctx.exact());
            }
        });
    }
}
