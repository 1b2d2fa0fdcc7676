package dev.weft.scan.internal;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import dev.weft.scan.Rule;
import java.util.List;

/**
 * WEFT304: a loop whose body is only sleeps and exits, polling a condition with no deadline: it
 * reacts late, burns wake-ups and can wait forever. Not flagged: a loop bounded by a deadline or a
 * retry count (the condition or an exit mentions a time, deadline, timeout or counts down, or a
 * counted {@code for} loop), a loop
 * in a wait-until or retry helper (the helper is the recommended fix), a loop that polls a
 * thread's state (there is no event to wait on), and a loop that only waits for this thread's
 * interrupt ({@code while (!Thread.currentThread().isInterrupted()) sleep(..)}: the sleep wakes at once).
 *
 * <p>See {@code docs/scan/WEFT304.md}; cases in {@code Weft304SleepPollingLoopTest}.
 */
final class Weft304SleepPollingLoop extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT304;
    }

    @Override
    void onLoop(Analysis a, Loop l) {
        StatementTree loop = l.loop();
        StatementTree body = l.body();
        ExpressionTree cond = l.cond();
        boolean isFor = l.isFor();
        List<? extends StatementTree> stmts = body instanceof BlockTree bt ? bt.getStatements() : List.of(body);
        int sleeps = 0;
        boolean exits = false;
        boolean exact = true;
        TreePath loopPath = l.path();
        TreePath bodyPath = new TreePath(loopPath, body);
        for (StatementTree s : stmts) {
            if (s instanceof EmptyStatementTree) {
                continue;
            }
            if (s instanceof IfTree it && it.getElseStatement() == null && isExit(it.getThenStatement())) {
                exits = true;
                continue;
            }
            Boolean sl = sleepStatement(a, s, body instanceof BlockTree ? new TreePath(bodyPath, s) : bodyPath);
            if (sl == null) {
                return;
            }
            sleeps++;
            exact &= sl;
        }
        if (sleeps == 0) {
            return;
        }
        if (!exits && cond != null && onlyTheInterrupt(Analysis.strip(cond))) {
            return; // the loop holds until interrupted, and the sleep wakes at once when it is
        }
        boolean polls = exits || (!isFor && cond != null && !isTrueLiteral(Analysis.strip(cond)));
        if (polls && !bounded(loop, body) && !Analysis.inWaitHelper(loopPath)) {
            a.report(Rule.WEFT304, loop, loopPath, "loop polls a condition with sleep: it reacts late, burns"
                    + " wake-ups and ignores deadlines; wait on the event itself (a latch, future, Condition or"
                    + " Weft Event)", exact);
        }
    }

    private static final java.util.regex.Pattern BOUND = java.util.regex.Pattern.compile(
            "(?i).*(deadline|timeout|currenttimemillis|nanotime|instant|elapsed|expir|retr(y|ies)|attempt|tries|remaining"
            + "|getstate).*");

    /** Whether the loop's condition or exits (not its sleeps) mention a deadline, a retry budget or a countdown. */
    private static boolean bounded(StatementTree loop, StatementTree body) {
        if (counted(loop)) {
            return true;
        }
        boolean[] found = {false};
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void visitIdentifier(com.sun.source.tree.IdentifierTree node, Void unused) {
                found[0] |= BOUND.matcher(node.getName()).matches();
                return null;
            }

            @Override
            public Void visitMemberSelect(com.sun.source.tree.MemberSelectTree node, Void unused) {
                found[0] |= BOUND.matcher(node.getIdentifier()).matches();
                return super.visitMemberSelect(node, unused);
            }

            @Override
            public Void visitUnary(com.sun.source.tree.UnaryTree node, Void unused) {
                found[0] |= node.getKind() == com.sun.source.tree.Tree.Kind.POSTFIX_DECREMENT
                        || node.getKind() == com.sun.source.tree.Tree.Kind.PREFIX_DECREMENT;
                return super.visitUnary(node, unused);
            }

            @Override
            public Void visitExpressionStatement(ExpressionStatementTree node, Void unused) {
                // the sleeps themselves (sleep(timeout)) say nothing about the bound
                return node.getExpression() instanceof MethodInvocationTree m
                        && "sleep".equals(Analysis.methodName(m)) ? null : super.visitExpressionStatement(node, unused);
            }
        }.scan(loop, null);
        return found[0];
    }

    /**
     * A counted {@code for} loop ({@code for (int i = 0; i < 30; i++)}): a comparison as its condition
     * and a step as its update, so it ends after so many tries (a retry budget).
     */
    private static boolean counted(StatementTree loop) {
        if (!(loop instanceof com.sun.source.tree.ForLoopTree f) || f.getCondition() == null || f.getUpdate().isEmpty()) {
            return false;
        }
        com.sun.source.tree.Tree.Kind k = Analysis.strip(f.getCondition()).getKind();
        boolean compares = k == com.sun.source.tree.Tree.Kind.LESS_THAN || k == com.sun.source.tree.Tree.Kind.LESS_THAN_EQUAL
                || k == com.sun.source.tree.Tree.Kind.GREATER_THAN || k == com.sun.source.tree.Tree.Kind.GREATER_THAN_EQUAL;
        boolean steps = true;
        for (ExpressionStatementTree u : f.getUpdate()) {
            com.sun.source.tree.Tree.Kind uk = u.getExpression().getKind();
            steps &= uk == com.sun.source.tree.Tree.Kind.POSTFIX_INCREMENT || uk == com.sun.source.tree.Tree.Kind.PREFIX_INCREMENT
                    || uk == com.sun.source.tree.Tree.Kind.POSTFIX_DECREMENT || uk == com.sun.source.tree.Tree.Kind.PREFIX_DECREMENT
                    || uk == com.sun.source.tree.Tree.Kind.PLUS_ASSIGNMENT || uk == com.sun.source.tree.Tree.Kind.MINUS_ASSIGNMENT;
        }
        return compares && steps;
    }

    /**
     * The condition is only this thread's interrupt status: {@code !Thread.currentThread().isInterrupted()},
     * {@code !Thread.interrupted()}, or {@code !isInterrupted()} in a {@code Thread} subclass. A sleep
     * throws at once when the thread is interrupted, so such a loop polls nothing.
     */
    private static boolean onlyTheInterrupt(ExpressionTree cond) {
        if (!(cond instanceof com.sun.source.tree.UnaryTree u) || u.getKind() != com.sun.source.tree.Tree.Kind.LOGICAL_COMPLEMENT
                || !(Analysis.strip(u.getExpression()) instanceof MethodInvocationTree m) || !m.getArguments().isEmpty()) {
            return false;
        }
        String n = Analysis.methodName(m);
        ExpressionTree r = Analysis.receiverOf(m);
        if ("interrupted".equals(n)) {
            return r != null && "Thread".equals(Analysis.simple(r.toString()));
        }
        return "isInterrupted".equals(n) && (r == null || Analysis.isThis(r)
                || Analysis.strip(r) instanceof MethodInvocationTree c && "currentThread".equals(Analysis.methodName(c)));
    }

    private static boolean isTrueLiteral(ExpressionTree e) {
        return e instanceof LiteralTree lt && Boolean.TRUE.equals(lt.getValue());
    }

    private static boolean isExit(StatementTree s) {
        if (s instanceof BlockTree b && b.getStatements().size() == 1) {
            s = b.getStatements().get(0);
        }
        return s instanceof BreakTree || s instanceof ReturnTree;
    }

    /** Null if the statement is not a bare sleep (possibly in try/catch); else whether resolution was exact. */
    private static Boolean sleepStatement(Analysis a, StatementTree s, TreePath path) {
        if (s instanceof ExpressionStatementTree es && es.getExpression() instanceof MethodInvocationTree m) {
            String n = Analysis.methodName(m);
            if (!"sleep".equals(n)) {
                return null;
            }
            Analysis.Call c = a.resolve(new TreePath(path, m));
            Catalogue.Blocking b = c == null ? null : a.cat.blocking(c.name(), c.argc(), c.params(), c.supers(), null);
            return b != null && b.category() == Catalogue.Category.SLEEP ? c.exact() : null;
        }
        if (s instanceof TryTree tt && tt.getBlock().getStatements().size() == 1 && tt.getFinallyBlock() == null) {
            TreePath tp = new TreePath(path, tt.getBlock());
            StatementTree inner = tt.getBlock().getStatements().get(0);
            return sleepStatement(a, inner, new TreePath(tp, inner).getParentPath());
        }
        if (s instanceof BlockTree b && b.getStatements().size() == 1) {
            return sleepStatement(a, b.getStatements().get(0), path);
        }
        return null;
    }
}
