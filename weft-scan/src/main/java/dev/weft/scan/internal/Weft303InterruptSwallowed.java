package dev.weft.scan.internal;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreeScanner;
import dev.weft.scan.Rule;
import java.util.List;

/**
 * WEFT303: a {@code catch} of {@code InterruptedException} that neither rethrows, re-asserts the
 * interrupt, nor ends the unit of work: the interrupt (how cancellation and deadlines reach the
 * thread) is lost.
 *
 * <p>See {@code docs/scan/WEFT303.md}; cases in {@code Weft303InterruptSwallowedTest}.
 */
final class Weft303InterruptSwallowed extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT303;
    }

    @Override
    void onCatch(Analysis a, CatchTree ct, TreePath path) {
        Tree type = ct.getParameter().getType();
        boolean ie = false;
        if (type instanceof UnionTypeTree u) {
            for (Tree alt : u.getTypeAlternatives()) {
                ie |= isInterruptedException(alt);
            }
        } else {
            ie = isInterruptedException(type);
        }
        if (!ie) {
            return;
        }
        String var = ct.getParameter().getName().toString();
        if (var.startsWith("expected") || var.equals("cannotHappen") || var.equals("impossible")) {
            return; // the interrupt is what the test expects, or the author states it cannot occur
        }
        boolean[] handled = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitReturn(ReturnTree node, Void unused) {
                if (node.getExpression() != null && mentions(node.getExpression(), var)) {
                    handled[0] = true; // the exception goes back to the caller as a value
                }
                return super.visitReturn(node, unused);
            }

            @Override
            public Void visitThrow(ThrowTree node, Void unused) {
                handled[0] = true;
                return null;
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                String n = Analysis.methodName(node);
                if ("interrupt".equals(n) || "fail".equals(n)) {
                    handled[0] = true;
                }
                // handed on: sneaky rethrow (throwAsUnchecked(e)), a future or promise failed with it
                if (n != null && !LOGGING.contains(n)) {
                    for (ExpressionTree arg : node.getArguments()) {
                        if (arg instanceof IdentifierTree id && id.getName().contentEquals(var)) {
                            handled[0] = true;
                        }
                    }
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree node, Void unused) {
                // `interrupted = true;` or `state = INTERRUPTED;` records the interrupt to act on later
                ExpressionTree rhs = node.getExpression();
                if ((rhs instanceof LiteralTree lt && Boolean.TRUE.equals(lt.getValue()))
                        || (rhs instanceof IdentifierTree id && id.getName().toString().toLowerCase(java.util.Locale.ROOT).contains("interrupt"))) {
                    handled[0] = true;
                }
                return super.visitAssignment(node, unused);
            }

            @Override
            public Void visitClass(ClassTree node, Void unused) {
                return null;
            }
        }.scan(ct.getBlock(), null);
        if (!handled[0] && (returnsFromTaskBody(ct, path) || endsTaskBody(path))) {
            handled[0] = true;
        }
        if (!handled[0]) {
            TreePath paramPath = new TreePath(path, ct.getParameter());
            a.report(Rule.WEFT303, ct.getParameter(), paramPath, "InterruptedException is caught and dropped: the"
                    + " interrupt is how cancellation and deadlines reach this thread; rethrow it or call"
                    + " Thread.currentThread().interrupt()", true);
        }
    }

    private static final java.util.Set<String> LOGGING = java.util.Set.of("log", "debug", "info", "warn", "warning",
            "error", "trace", "fine", "finer", "finest", "severe", "config", "print", "println", "printf", "format",
            "printStackTrace");

    private static boolean mentions(Tree t, String var) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(IdentifierTree node, Void unused) {
                found[0] |= node.getName().contentEquals(var);
                return null;
            }
        }.scan(t, null);
        return found[0];
    }

    /**
     * The {@code try} is the last statement of a lambda body or of a {@code run}/{@code call}
     * method, or is followed only by its final {@code return x;}: when the interrupt is caught the
     * thread's work ends, which is what the interrupt asked for (the flag dies with the task).
     */
    private static boolean endsTaskBody(TreePath catchPath) {
        TreePath tryPath = catchPath.getParentPath();
        if (tryPath == null || !(tryPath.getLeaf() instanceof com.sun.source.tree.TryTree tt)) {
            return false;
        }
        TreePath blockPath = tryPath.getParentPath();
        if (blockPath == null || !(blockPath.getLeaf() instanceof com.sun.source.tree.BlockTree b)) {
            return false;
        }
        List<? extends StatementTree> sts = b.getStatements();
        int at = sts.indexOf(tt);
        if (at < 0 || at < sts.size() - 2 || at == sts.size() - 2 && !(sts.get(sts.size() - 1) instanceof ReturnTree)) {
            return false;
        }
        Tree owner = blockPath.getParentPath() == null ? null : blockPath.getParentPath().getLeaf();
        if (owner instanceof LambdaExpressionTree) {
            return true;
        }
        return owner instanceof MethodTree mt && mt.getParameters().isEmpty()
                && (mt.getName().contentEquals("run") || mt.getName().contentEquals("call"));
    }

    /**
     * {@code catch (InterruptedException e) { return ...; }} at the top of a unit of work (a lambda,
     * or a {@code run}/{@code call}/{@code main} method): the work ends because it was interrupted,
     * which is what cancellation asks for. In a helper, returning would let the caller carry on
     * unaware, so it is still flagged there.
     */
    private static boolean returnsFromTaskBody(CatchTree ct, TreePath path) {
        boolean returns = false;
        for (StatementTree st : ct.getBlock().getStatements()) {
            returns |= st instanceof ReturnTree;
        }
        if (!returns) {
            return false;
        }
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (t instanceof LambdaExpressionTree) {
                return true;
            }
            if (t instanceof MethodTree mt) {
                String n = mt.getName().toString();
                return n.equals("run") || n.equals("call") || n.equals("main");
            }
            if (t instanceof ClassTree) {
                return false;
            }
        }
        return false;
    }

    private static boolean isInterruptedException(Tree t) {
        String s = t.toString();
        return s.equals("InterruptedException") || s.equals("java.lang.InterruptedException");
    }
}
