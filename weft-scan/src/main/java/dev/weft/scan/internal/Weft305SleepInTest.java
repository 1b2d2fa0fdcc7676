package dev.weft.scan.internal;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
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
 *   <li>in a wait-until, retry or pacing helper ({@code waitUntil}, {@code eventually}...);
 *   <li>in a private helper of the test class that only tasks call (it runs on the pool's threads).
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

    /**
     * Straight-line code of a method of the test class itself: not in a lambda, a loop, an
     * anonymous or local class (a verticle or handler written inline), or a nested class that is
     * not a test class (a fake collaborator such as a slow {@code NodeSelector}).
     */
    private static boolean onTestThread(TreePath path) {
        for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (t instanceof MethodTree m) {
                return inTestClass(p.getParentPath()) && !onlyTasksCall(m, p);
            }
            if (t instanceof LambdaExpressionTree || t instanceof ClassTree || t instanceof WhileLoopTree
                    || t instanceof DoWhileLoopTree || t instanceof ForLoopTree || t instanceof EnhancedForLoopTree) {
                return false;
            }
        }
        return false;
    }

    /**
     * A private helper of the test class that every call in the file makes from a task (a lambda, or a
     * method of an anonymous or nested class): it runs on a pool's threads, not the test's, and its
     * sleep is simulated work. A method reference to it, or no call at all, keeps it on the test thread.
     */
    private static boolean onlyTasksCall(MethodTree helper, TreePath helperPath) {
        if (!helper.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.PRIVATE)
                || !(helperPath.getParentPath().getLeaf() instanceof ClassTree owner)) {
            return false;
        }
        String name = helper.getName().toString();
        int[] calls = {0, 0}; // all, from tasks
        new com.sun.source.util.TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(com.sun.source.tree.MethodInvocationTree node, Void unused) {
                com.sun.source.tree.ExpressionTree r = Analysis.receiverOf(node);
                if (name.equals(Analysis.methodName(node)) && (r == null || Analysis.isThis(r))) {
                    calls[0]++;
                    if (inTask(getCurrentPath(), owner)) {
                        calls[1]++;
                    }
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitMemberReference(com.sun.source.tree.MemberReferenceTree node, Void unused) {
                if (node.getName().contentEquals(name)) {
                    calls[0]++;
                }
                return super.visitMemberReference(node, unused);
            }
        }.scan(new TreePath(helperPath.getCompilationUnit()), null);
        return calls[0] > 0 && calls[0] == calls[1];
    }

    /** The call is in a lambda, or in a class other than {@code owner} (an anonymous task), before any method of {@code owner}. */
    private static boolean inTask(TreePath call, ClassTree owner) {
        for (TreePath p = call.getParentPath(); p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (t instanceof LambdaExpressionTree) {
                return true;
            }
            if (t instanceof ClassTree c) {
                return c != owner;
            }
        }
        return false;
    }

    /** {@code classPath} (a method's parent) is a top-level class, or a member class holding tests ({@code @Nested}). */
    private static boolean inTestClass(TreePath classPath) {
        if (classPath == null || !(classPath.getLeaf() instanceof ClassTree c)) {
            return false;
        }
        Tree parent = classPath.getParentPath() == null ? null : classPath.getParentPath().getLeaf();
        if (parent instanceof CompilationUnitTree) {
            return true;
        }
        if (!(parent instanceof ClassTree)) {
            return false; // anonymous (new X() {...}) or local class
        }
        if (hasAnnotation(c.getModifiers().getAnnotations(), "Nested")) {
            return true;
        }
        for (Tree m : c.getMembers()) {
            if (m instanceof MethodTree mt && hasAnnotation(mt.getModifiers().getAnnotations(), "Test")) {
                return true;
            }
        }
        return false;
    }

    /** An annotation whose simple name is {@code name}, or ends with it ({@code "Test"} also matches {@code ParameterizedTest}). */
    private static boolean hasAnnotation(java.util.List<? extends AnnotationTree> annotations, String name) {
        for (AnnotationTree a : annotations) {
            String n = a.getAnnotationType().toString();
            String simple = n.substring(n.lastIndexOf('.') + 1);
            if (simple.endsWith(name)) {
                return true;
            }
        }
        return false;
    }
}
