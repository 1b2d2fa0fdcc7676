package dev.weft.scan.internal;

import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.weft.scan.Rule;

/**
 * One rule of {@code weft scan} (the model is Error Prone's {@code BugChecker}): a small class
 * with its documentation in its Javadoc and in {@code docs/scan/ID.md}, and its positive and
 * negative cases in a test of the same name.
 *
 * <p>A check does not walk trees itself. {@link Analysis} makes one pass over a compilation unit,
 * working out the shared facts (what a call resolves to, whether it is in the blocking catalogue,
 * where the code runs, which locks are held, the unit's call graph) and calls the hooks below at
 * the nodes a check may care about; the check asks the analysis what it needs and reports through
 * {@link Analysis#report}. Checks are stateless: one instance serves every unit on every thread.
 */
abstract class Check {
    /** The rule this check reports. */
    abstract Rule rule();

    /**
     * A method call, constructor call or method reference whose name the catalogue finds
     * interesting.
     *
     * @param a    the analysis of the unit
     * @param site the call, resolved, with its catalogue entry if it blocks
     */
    void onCall(Analysis a, CallSite site) {
    }

    /**
     * An expression statement (a call whose result is discarded, among others).
     *
     * @param a    the analysis of the unit
     * @param st   the statement
     * @param path its path
     */
    void onStatement(Analysis a, ExpressionStatementTree st, TreePath path) {
    }

    /**
     * A catch clause.
     *
     * @param a    the analysis of the unit
     * @param ct   the clause
     * @param path its path
     */
    void onCatch(Analysis a, CatchTree ct, TreePath path) {
    }

    /**
     * A {@code for}, {@code while} or {@code do} loop.
     *
     * @param a    the analysis of the unit
     * @param loop the loop
     */
    void onLoop(Analysis a, Loop loop) {
    }

    /**
     * A call as the analysis resolved it.
     *
     * @param path     the call's path
     * @param leaf     the call (method invocation, new class or member reference)
     * @param call     what it resolved to
     * @param blocking its blocking-catalogue entry, or null if it does not block
     */
    record CallSite(TreePath path, Tree leaf, Analysis.Call call, Catalogue.Blocking blocking) {
        /** "Owner.method" for messages. */
        String what() {
            return Analysis.describe(call, blocking == null ? null : blocking.owner());
        }

        /** Whether it blocks and is in one of these categories. */
        boolean blocksAs(Catalogue.Category... categories) {
            if (blocking == null) {
                return false;
            }
            for (Catalogue.Category c : categories) {
                if (blocking.category() == c) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A loop.
     *
     * @param loop  the loop statement
     * @param body  its body (never null)
     * @param cond  its condition (null for {@code for (;;)})
     * @param isFor whether it is a basic {@code for} loop
     * @param path  the loop's path
     */
    record Loop(StatementTree loop, StatementTree body, ExpressionTree cond, boolean isFor, TreePath path) { }

    /** Scans the code of one body: not the nested classes and lambdas, which run elsewhere. */
    abstract static class OwnCode extends com.sun.source.util.TreeScanner<Void, Void> {
        /** Whether {@code t}'s own code (not its nested classes and lambdas) makes a call that {@code test} accepts. */
        static boolean anyCall(com.sun.source.tree.Tree t,
                java.util.function.Predicate<com.sun.source.tree.MethodInvocationTree> test) {
            boolean[] found = {false};
            new OwnCode() {
                @Override
                public Void visitMethodInvocation(com.sun.source.tree.MethodInvocationTree node, Void unused) {
                    found[0] |= test.test(node);
                    return super.visitMethodInvocation(node, unused);
                }
            }.scan(t, null);
            return found[0];
        }

        @Override
        public Void visitClass(com.sun.source.tree.ClassTree node, Void unused) {
            return null;
        }

        @Override
        public Void visitLambdaExpression(com.sun.source.tree.LambdaExpressionTree node, Void unused) {
            return null;
        }
    }
}
