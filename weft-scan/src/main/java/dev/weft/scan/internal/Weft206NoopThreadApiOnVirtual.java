package dev.weft.scan.internal;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import dev.weft.scan.Rule;

/**
 * WEFT206: a {@code Thread} method that does nothing (or throws) on a virtual thread
 * ({@code setDaemon}, {@code setPriority}, {@code getThreadGroup}...), called on a thread built
 * virtual or on the current thread where the code runs on a virtual thread.
 *
 * <p>See {@code docs/scan/WEFT206.md}; cases in {@code Weft206NoopThreadApiOnVirtualTest}.
 */
final class Weft206NoopThreadApiOnVirtual extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT206;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        Analysis.Call c = s.call();
        if (!a.cat.noopOnVirtual(c.name(), c.supers())) {
            return;
        }
        String msg = "Thread." + c.name() + " on a virtual thread "
                + (c.name().equals("setDaemon") ? "(virtual threads are always daemons; setDaemon(false) throws)"
                : c.name().contains("Priority") ? "(virtual threads always have NORM_PRIORITY; the call is ignored)"
                : "(virtual threads all share one placeholder ThreadGroup)");
        ExpressionTree recv = Analysis.strip(c.receiver());
        if (recv instanceof MethodInvocationTree m && "currentThread".equals(Analysis.methodName(m))) {
            a.withContext(a.contextOf(s.path()), ctx -> {
                if (ctx.kind() == Ctx.Kind.VIRTUAL) {
                    a.report(Rule.WEFT206, s.leaf(), s.path(), msg, c.exact());
                }
            });
        } else if (builtVirtual(a, recv)) {
            a.report(Rule.WEFT206, s.leaf(), s.path(), msg, c.exact());
        }
    }

    private static boolean builtVirtual(Analysis a, ExpressionTree recv) {
        if (recv instanceof IdentifierTree id) {
            Analysis.Var v = a.lookup(id.getName().toString());
            return v != null && v.init() != null && Analysis.callsNamed(v.init(), "ofVirtual", "startVirtualThread");
        }
        return false;
    }
}
