package dev.weft.scan.internal;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import dev.weft.scan.Rule;

/**
 * WEFT205: {@code get()} on a {@code ThreadLocal} built with an initial value (a per-thread cache)
 * in code that runs on a virtual thread: every task builds its own copy and none is reused.
 *
 * <p>See {@code docs/scan/WEFT205.md}; cases in {@code Weft205ThreadLocalCacheOnVirtualTest}.
 */
final class Weft205ThreadLocalCacheOnVirtual extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT205;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        Analysis.Call c = s.call();
        if (c.name().equals("get") && c.argc() == 0 && c.supers().contains("java.lang.ThreadLocal")
                && isThreadLocalCache(a, c.receiver())) {
            a.withContext(a.contextOf(s.path()), ctx -> {
                if (ctx.kind() == Ctx.Kind.VIRTUAL) {
                    a.report(Rule.WEFT205, s.leaf(), s.path(), "ThreadLocal cache read on a virtual thread (" + ctx.why()
                            + "): every task builds its own copy and it is never reused; share a thread-safe"
                            + " instance, pool explicitly, or use a ScopedValue", c.exact() && ctx.exact());
                }
            });
        }
    }

    /** A ThreadLocal built with an initial value: a per-thread cache. */
    private static boolean isThreadLocalCache(Analysis a, ExpressionTree recv) {
        recv = Analysis.strip(recv);
        Analysis.Var v = null;
        if (recv instanceof IdentifierTree id) {
            v = a.lookup(id.getName().toString());
        } else if (recv instanceof MemberSelectTree ms) {
            v = a.lookup(ms.getIdentifier().toString());
        }
        if (v == null || v.init() == null) {
            return false;
        }
        ExpressionTree init = Analysis.strip(v.init());
        if (init instanceof MethodInvocationTree m) {
            return "withInitial".equals(Analysis.methodName(m));
        }
        if (init instanceof NewClassTree nct && nct.getClassBody() != null) {
            for (Tree m : nct.getClassBody().getMembers()) {
                if (m instanceof MethodTree mt && mt.getName().contentEquals("initialValue")) {
                    return true;
                }
            }
        }
        return false;
    }
}
