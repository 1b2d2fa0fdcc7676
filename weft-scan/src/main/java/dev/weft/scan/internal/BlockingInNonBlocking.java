package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What WEFT101 to WEFT107 share: a call from the blocking catalogue, in one of the rule's
 * categories, in code the analysis places on a thread that must not block (an event loop, a stage
 * callback without an executor, the common pool, a parallel stream, a reactive operator). The
 * subclasses only name their categories.
 */
abstract class BlockingInNonBlocking extends Check {
    private final Rule rule;
    private final Set<Catalogue.Category> categories;

    BlockingInNonBlocking(Rule rule, Catalogue.Category... categories) {
        this.rule = rule;
        this.categories = EnumSet.copyOf(List.of(categories));
    }

    @Override
    final Rule rule() {
        return rule;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        if (s.blocking() == null || !categories.contains(s.blocking().category()) || !applies(a, s)) {
            return;
        }
        a.withContext(a.contextOf(s.path()), ctx -> {
            if (ctx.kind() == Ctx.Kind.NONBLOCKING) {
                a.report(rule, s.leaf(), s.path(), s.what() + " blocks in a non-blocking context (" + ctx.why()
                        + "); move it to a virtual thread or hand it to an offload API",
                        s.call().exact() && ctx.exact());
            }
        });
    }

    /** A rule's own exemptions for a call in its categories (none by default). */
    boolean applies(Analysis a, CallSite s) {
        return true;
    }
}
