package dev.weft.scan.internal;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.tree.Tree;
import dev.weft.scan.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * WEFT302: a {@code CompletableFuture.*Async} call without an executor: it runs on the common
 * ForkJoinPool, shared by the whole JVM. {@code CompletableFuture} only: a bare
 * {@code CompletionStage}'s default executor is the implementation's choice. Not flagged:
 * <ul>
 *   <li>inside an override of the same executor-less method (a {@code CompletionStage} or
 *       {@code CompletableFuture} subclass delegating {@code thenApplyAsync(fn)} to a wrapped
 *       future: the only correct way to write it);
 *   <li>a lambda that cannot block: its body calls nothing but methods of JDK types outside the
 *       blocking catalogue (pure computation is what the common pool is for);
 *   <li>the function of {@code thenComposeAsync} / {@code exceptionallyComposeAsync}, unless its
 *       body makes a call the catalogue knows to block: a function that returns the next stage
 *       starts asynchronous work by contract (lettuce's handshake, {@code thenComposeAsync(c ->
 *       dispatchHello(c))}, sends a command and returns its future);
 *   <li>a lambda whose calls are Reactive Streams demand signals ({@code runAsync(() -> request(1))}
 *       in a subscriber, {@code subscription.cancel()}), which return promptly by specification
 *       (ADR 0123).
 * </ul>
 *
 * <p>See {@code docs/scan/WEFT302.md}; cases in {@code Weft302AsyncWithoutExecutorTest}.
 */
final class Weft302AsyncWithoutExecutor extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT302;
    }

    @Override
    void onCall(Analysis a, CallSite s) {
        Analysis.Call c = s.call();
        if (c.name().endsWith("Async") && c.name().length() > 5 && c.supers().contains(Analysis.CF)
                && !(s.leaf() instanceof MemberReferenceTree) && a.executorArgument(c) == null
                && !c.name().equals(Analysis.enclosingMethodName(s.path())) && !computesOnly(a, s)) {
            a.report(Rule.WEFT302, s.leaf(), s.path(), "CompletableFuture." + c.name() + " without an executor"
                    + " runs on the common ForkJoinPool, shared by the whole JVM; pass an executor (e.g. a"
                    + " virtual-thread-per-task executor) or use Weft tasks", c.exact());
        }
    }

    /**
     * Every function argument is a lambda that only computes (no call outside the JDK, none that
     * blocks); for the compose forms, no call the catalogue knows to block.
     */
    private static boolean computesOnly(Analysis a, CallSite s) {
        boolean compose = s.call().name().startsWith("thenCompose") || s.call().name().startsWith("exceptionallyCompose");
        boolean anyLambda = false;
        for (ExpressionTree arg : s.call().args()) {
            ExpressionTree e = Analysis.strip(arg);
            if (e instanceof MemberReferenceTree mr) {
                Analysis.Call c = compose ? a.resolveSyntactic(mr) : null;
                if (compose && (c == null || a.cat.blocking(c.name(), c.argc(), c.params(), c.supers(), i -> null) == null)) {
                    anyLambda = true;
                    continue;
                }
                return false;
            }
            if (!(e instanceof LambdaExpressionTree l)) {
                continue;
            }
            anyLambda = true;
            TreePath lp = new TreePath(s.path(), l);
            boolean[] mayBlock = {false};
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                    check(getCurrentPath());
                    return super.visitMethodInvocation(node, unused);
                }

                @Override
                public Void visitNewClass(NewClassTree node, Void unused) {
                    check(getCurrentPath());
                    return super.visitNewClass(node, unused);
                }

                @Override
                public Void visitMemberReference(MemberReferenceTree node, Void unused) {
                    mayBlock[0] |= !compose;
                    return null;
                }

                private void check(TreePath p) {
                    Analysis.Call c = a.resolveSyntactic(p.getLeaf());
                    if (c != null && demandSignal(a, p, c)) {
                        return; // Subscription.request(n) / cancel(): must return promptly (Reactive Streams 3.4, 3.5)
                    }
                    if (c == null) {
                        mayBlock[0] |= !compose;
                    } else if (a.cat.blocking(c.name(), c.argc(), c.params(), c.supers(), i -> null) != null
                            || !compose && (!c.known() || !jdkOnly(c))) {
                        mayBlock[0] = true;
                    }
                }
            }.scan(lp, null);
            if (mayBlock[0]) {
                return false;
            }
        }
        return anyLambda;
    }

    /**
     * A Reactive Streams demand or cancel signal: {@code request(n)} or {@code cancel()} on a
     * {@code Subscription} (org.reactivestreams or {@code java.util.concurrent.Flow}), named by the
     * receiver's type, or called without a receiver (or on {@code this}) inside a class that is a
     * {@code ...Subscriber} or {@code ...Subscription} (Reactor's {@code BaseSubscriber.request(1)}).
     * The specification requires both to return promptly (rules 3.4 and 3.5): they only record demand
     * and may deliver to the subscriber, they do not block.
     */
    static boolean demandSignal(Analysis a, TreePath p, Analysis.Call c) {
        if (!(c.name().equals("request") && c.argc() == 1 || c.name().equals("cancel") && c.argc() == 0)) {
            return false;
        }
        for (String t : c.supers()) {
            if (t.equals("org.reactivestreams.Subscription") || t.equals("java.util.concurrent.Flow.Subscription")
                    || t.equals("java.util.concurrent.Flow$Subscription")) {
                return true;
            }
        }
        ExpressionTree recv = c.receiver() == null ? null : Analysis.strip(c.receiver());
        if (recv != null && !Analysis.isThis(recv)) {
            String type = a.inferType(recv);
            return type != null && reactiveName(type);
        }
        for (TreePath q = p; q != null; q = q.getParentPath()) {
            if (q.getLeaf() instanceof com.sun.source.tree.ClassTree ct) {
                List<Tree> supers = new ArrayList<>(ct.getImplementsClause());
                if (ct.getExtendsClause() != null) {
                    supers.add(ct.getExtendsClause());
                }
                if (q.getParentPath() != null && q.getParentPath().getLeaf() instanceof NewClassTree nc) {
                    supers.add(nc.getIdentifier()); // an anonymous new BaseSubscriber<T>() { ... }
                }
                for (Tree t : supers) {
                    if (reactiveName(t.toString().replaceAll("<.*", ""))) {
                        return true;
                    }
                }
                return false; // the nearest class decides: an unqualified call is its method
            }
        }
        return false;
    }

    private static boolean reactiveName(String type) {
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return simple.endsWith("Subscriber") || simple.endsWith("Subscription");
    }

    private static boolean jdkOnly(Analysis.Call c) {
        if (c.supers().size() < 2) {
            return false; // only Object: the owner did not resolve
        }
        for (String t : c.supers()) {
            if (!t.startsWith("java.")) {
                return false;
            }
        }
        return true;
    }
}
