package dev.weft.scan.internal;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.TreePath;
import dev.weft.scan.Rule;

/**
 * WEFT305: {@code Thread.sleep} (or {@code TimeUnit.sleep}) on a test's own thread of control,
 * waiting for something to happen: the test is slow and flaky. Weft's own virtual-time sleeps are
 * not flagged, and neither are sleeps that are not a wait for an event:
 * <ul>
 *   <li>in a lambda, anonymous or local class (a task or handler that simulates slow work: the
 *       sleep is the subject of the test);
 *   <li>in a loop (the poll interval of a wait-until loop, or the pace of a retry; WEFT304
 *       judges polling loops);
 *   <li>in a wait-until, retry or pacing helper ({@code waitUntil}, {@code eventually}...).
 * </ul>
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
        if (s.blocksAs(Catalogue.Category.SLEEP) && a.testFile && !s.blocking().owner().startsWith("dev.weft.")
                && onTestThread(s.path()) && !Analysis.inWaitHelper(s.path())) {
            a.report(Rule.WEFT305, s.leaf(), s.path(), s.what() + " in a test makes it slow and flaky; wait for"
                    + " the condition (latch, future, Weft Event) or use virtual time", s.call().exact());
        }
    }

    /** Straight-line code of a method: not in a lambda, a class nested in the method, or a loop. */
    private static boolean onTestThread(TreePath path) {
        for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (t instanceof MethodTree) {
                return true;
            }
            if (t instanceof LambdaExpressionTree || t instanceof ClassTree || t instanceof WhileLoopTree
                    || t instanceof DoWhileLoopTree || t instanceof ForLoopTree || t instanceof EnhancedForLoopTree) {
                return false;
            }
        }
        return false;
    }
}
