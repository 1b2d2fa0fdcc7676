package dev.weft.scan.internal;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import dev.weft.scan.Rule;

/**
 * WEFT109: a blocking call in a static initializer (or a static field's initializer). Class
 * initialization holds the class's init lock: every thread that touches the class waits, and a
 * virtual thread pins its carrier.
 *
 * <p>A method reference to a blocking method that is stored, not called (the initializer of a
 * field, the value of an assignment, or an argument of a constructor:
 * {@code static final Sleeper SLEEPER = Thread::sleep;}), runs nothing while the class
 * initializes and is not reported (ADR 0121). A reference passed to a method
 * ({@code paths.forEach(Files::delete)}) or held in a local variable may run at once and is
 * still reported.
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
        if (s.blocking() == null || storedReference(s.path())) {
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

    /**
     * Whether the site is a method reference that is stored rather than run: through parentheses
     * and casts, it is a field's initializer, an assignment's value or a constructor's argument.
     */
    private static boolean storedReference(TreePath path) {
        if (!(path.getLeaf() instanceof MemberReferenceTree)) {
            return false;
        }
        Tree child = path.getLeaf();
        TreePath cur = path.getParentPath();
        while (cur != null && (cur.getLeaf() instanceof ParenthesizedTree || cur.getLeaf() instanceof TypeCastTree)) {
            child = cur.getLeaf();
            cur = cur.getParentPath();
        }
        if (cur == null) {
            return false;
        }
        Tree parent = cur.getLeaf();
        return (parent instanceof VariableTree v && v.getInitializer() == child
                        && cur.getParentPath() != null && cur.getParentPath().getLeaf() instanceof ClassTree)
                || (parent instanceof AssignmentTree as && as.getExpression() == child)
                || (parent instanceof NewClassTree nc && nc.getArguments().contains(child));
    }
}
