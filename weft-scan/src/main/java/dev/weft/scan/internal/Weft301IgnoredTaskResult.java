package dev.weft.scan.internal;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import dev.weft.scan.Rule;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * WEFT301: a call that starts a task ({@code submit}, {@code supplyAsync}, {@code Thread.start}
 * returning a handle, Weft {@code spawn} in a supervisor) used as a statement: the handle is
 * dropped, so a failure is lost and the task is orphaned.
 *
 * <p>See {@code docs/scan/WEFT301.md}; cases in {@code Weft301IgnoredTaskResultTest}.
 */
final class Weft301IgnoredTaskResult extends Check {
    @Override
    Rule rule() {
        return Rule.WEFT301;
    }

    @Override
    void onStatement(Analysis a, ExpressionStatementTree node, TreePath statement) {
        if (node.getExpression() instanceof MethodInvocationTree mit) {
            TreePath path = new TreePath(statement, mit);
            String name = Analysis.methodName(mit);
            if (name != null && (a.cat.isResultRequiredName(name) || name.equals("spawn"))) {
                Analysis.Call c = a.resolve(path);
                if (c != null) {
                    String owner = a.cat.resultRequired(c.name(), c.supers());
                    if (owner != null && !resultKeptElsewhere(a, c, path)) {
                        a.report(Rule.WEFT301, mit, path, Analysis.describe(c, owner)
                                + " starts a task whose result is ignored: keep the Future/Thread and join it,"
                                + " or failures are lost and the task is orphaned", c.exact());
                    } else if (c.name().equals("spawn") && isSupervisorSpawn(a, c, path)) {
                        a.report(Rule.WEFT301, mit, path, "spawn in a supervisor group whose Task is ignored:"
                                + " a supervisor cancels nothing and rethrows nothing, so a failure only"
                                + " reaches the log; keep the Task and read its outcome", c.exact());
                    }
                }
            }
        }
    }

    /**
     * The task is a {@code FutureTask} (or another Future) the caller already holds, or does
     * nothing at all: there is no result or failure to lose.
     */
    private static boolean resultKeptElsewhere(Analysis a, Analysis.Call c, TreePath path) {
        if (c.args().isEmpty()) {
            return false;
        }
        ExpressionTree task = Analysis.strip(c.args().get(0));
        if (task instanceof com.sun.source.tree.TypeCastTree cast) {
            task = Analysis.strip(cast.getExpression()); // submit((Callable<Void>) () -> ...)
        }
        if (task instanceof IdentifierTree id) {
            // submit(task) where task is a local built from a lambda or an anonymous class
            Analysis.Var v = a.lookup(id.getName().toString());
            if (v != null && v.init() != null && v.declaredIn() != null && v.declaredIn().getParentPath() != null
                    && !(v.declaredIn().getParentPath().getLeaf() instanceof ClassTree)) { // a local, not a field
                ExpressionTree init = Analysis.strip(v.init());
                if ((init instanceof LambdaExpressionTree || init instanceof NewClassTree) && reportsItsFailures(path, init)) {
                    return true;
                }
                if (init instanceof NewClassTree nc && nc.getClassBody() == null
                        && classOfThisFileReportsItsFailures(path, nc.getIdentifier())) {
                    return true; // Tailer tailer = new Tailer(this); executor.submit(tailer);
                }
            }
            if (id.getName().contentEquals("this") && thisClassReportsItsFailures(path)) {
                return true; // executor.submit(this) in a Runnable whose run() reports its failures
            }
        }
        if (task instanceof NewClassTree nc && nc.getClassBody() == null
                && classOfThisFileReportsItsFailures(path, nc.getIdentifier())) {
            return true;
        }
        if (reportsItsFailures(path, task)) {
            return true;
        }
        List<? extends ExpressionTree> wrapped = task instanceof MethodInvocationTree wrapper ? wrapper.getArguments()
                : task instanceof NewClassTree nc && nc.getClassBody() == null ? nc.getArguments() : List.of();
        if (!wrapped.isEmpty()) {
            // submit(plugins.withClassLoader(loader, () -> {...})), submit(new ScopedRunnable(() -> {...})):
            // the task is behind a wrapper that decorates it (class loader, context, MDC, span); judge
            // the task it wraps
            for (ExpressionTree arg : wrapped) {
                ExpressionTree inner = Analysis.strip(arg);
                if ((inner instanceof LambdaExpressionTree || inner instanceof MemberReferenceTree)
                        && reportsItsFailures(path, inner)) {
                    return true;
                }
            }
        }
        if (a.attributed) {
            TypeMirror t = a.typeOf(new TreePath(path, task));
            if (t != null && t.getKind() == TypeKind.DECLARED && ((DeclaredType) t).asElement() instanceof TypeElement te) {
                return a.types.supertypes(te).contains("java.util.concurrent.Future");
            }
        }
        String type = a.inferType(task);
        return type != null && a.supersOf(type).contains("java.util.concurrent.Future");
    }

    /**
     * The task (a lambda, a method reference, or an anonymous {@code Runnable}/{@code Callable} whose
     * {@code run()}/{@code call()} is judged like a lambda's body) reports its own failures: its body is
     * empty or ends in a {@code try} that catches {@code Throwable} (and reports it or drops it on purpose), or only
     * calls a method of this class that does ({@code runLoop(); return null;}); it is a call to a
     * method of this class whose body does so (a method reference {@code this::run}, or an expression
     * lambda {@code () -> put(a, b, callback)}); or it is an expression lambda whose one call hands a
     * callback on ({@code () -> log.send(key, value, this)} inside a {@code Callback}): a failure of
     * the asynchronous work reaches that callback, not the dropped Future.
     */
    private static boolean reportsItsFailures(TreePath path, ExpressionTree task) {
        if (task instanceof NewClassTree nc && nc.getClassBody() != null) {
            // new Runnable() { public void run() {...} } / new Callable<T>() { public T call() {...} }
            MethodTree work = null;
            for (Tree member : nc.getClassBody().getMembers()) {
                if (member instanceof MethodTree m && m.getParameters().isEmpty()
                        && (m.getName().contentEquals("run") || m.getName().contentEquals("call"))) {
                    work = m;
                }
            }
            return work != null && work.getBody() != null
                    && (reportsItsFailures(work.getBody(), work.getName().contentEquals("run")
                            && work.getReturnType() != null && work.getReturnType().toString().equals("void"))
                    || callsAReportingMethod(path, work.getBody()));
        }
        if (task instanceof LambdaExpressionTree l) {
            if (l.getBody() instanceof BlockTree b) {
                return b.getStatements().isEmpty() || reportsItsFailures(b, returnsNoValue(b))
                        || callsAReportingMethod(path, b);
            }
            if (l.getBody() instanceof MethodInvocationTree call) {
                if (passesACallback(path, call)) {
                    return true;
                }
                String name = Analysis.methodName(call);
                ExpressionTree recv = Analysis.receiverOf(call);
                if (name != null && (recv == null || Analysis.isThis(recv))) {
                    MethodTree m = method(path, name, call.getArguments().size());
                    return m != null && m.getBody() != null && reportsItsFailures(m.getBody(), false);
                }
            }
            return false;
        }
        if (task instanceof MemberReferenceTree mr && Analysis.isThis(mr.getQualifierExpression())) {
            // submit(this::run) where run() of this class reports its own failures (Helidon's SocketWriterAsync)
            MethodTree m = method(path, mr.getName().toString(), 0);
            return m != null && m.getBody() != null && reportsItsFailures(m.getBody(), false);
        }
        return false;
    }

    /**
     * The task is an instance of a class declared in this file ({@code new Tailer(this)}, named by
     * its simple name; not when the file declares two of that name) whose own no-argument
     * {@code run()} or {@code call()} reports its failures, as an anonymous class's would: Commons IO's
     * {@code Tailer.run()} hands every {@code Exception} to its listener (ADR 0124). A class that
     * inherits its {@code run()} is not judged.
     */
    private static boolean classOfThisFileReportsItsFailures(TreePath path, Tree type) {
        String name = Analysis.simple(type.toString().replaceAll("<.*", ""));
        ClassTree[] found = {null};
        int[] count = {0};
        new com.sun.source.util.TreeScanner<Void, Void>() {
            @Override
            public Void visitClass(ClassTree node, Void unused) {
                if (node.getSimpleName().contentEquals(name)) {
                    found[0] = node;
                    count[0]++;
                }
                return super.visitClass(node, unused);
            }
        }.scan(path.getCompilationUnit(), null);
        return count[0] == 1 && classReportsItsFailures(path, found[0]);
    }

    /** {@code submit(this)}: the enclosing named class's own {@code run()}/{@code call()} reports its failures. */
    private static boolean thisClassReportsItsFailures(TreePath path) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof LambdaExpressionTree) {
                return false; // `this` is still the class, but keep to the plain case
            }
            if (p.getLeaf() instanceof ClassTree ct) {
                return !ct.getSimpleName().isEmpty() && classReportsItsFailures(path, ct);
            }
        }
        return false;
    }

    private static boolean classReportsItsFailures(TreePath path, ClassTree ct) {
        for (Tree member : ct.getMembers()) {
            if (member instanceof MethodTree m && m.getParameters().isEmpty() && m.getBody() != null
                    && (m.getName().contentEquals("run") || m.getName().contentEquals("call"))) {
                boolean runnable = m.getName().contentEquals("run") && m.getReturnType() != null
                        && m.getReturnType().toString().equals("void");
                TreePath body = TreePath.getPath(path.getCompilationUnit(), m.getBody());
                return reportsItsFailures(m.getBody(), runnable) || body != null && callsAReportingMethod(body, m.getBody());
            }
        }
        return false;
    }

    /**
     * The task's body only calls a method of the enclosing class (no receiver, or {@code this}) whose
     * body reports its own failures, and then perhaps returns a constant: {@code runLoop(); return null;}
     * where {@code runLoop()} ends in a {@code try} that catches {@code Exception} and logs it.
     */
    private static boolean callsAReportingMethod(TreePath path, BlockTree body) {
        List<? extends StatementTree> sts = body.getStatements();
        int n = sts.size();
        if (n == 2 && sts.get(1) instanceof ReturnTree r
                && (r.getExpression() == null || r.getExpression() instanceof LiteralTree)) {
            n = 1;
        }
        if (n != 1 || !(sts.get(0) instanceof ExpressionStatementTree es)
                || !(es.getExpression() instanceof MethodInvocationTree call)) {
            return false;
        }
        String name = Analysis.methodName(call);
        ExpressionTree recv = Analysis.receiverOf(call);
        if (name == null || !(recv == null || Analysis.isThis(recv))) {
            return false;
        }
        MethodTree m = method(path, name, call.getArguments().size());
        return m != null && m.getBody() != null && reportsItsFailures(m.getBody(), false);
    }

    /**
     * One of the call's arguments is a callback: a variable named like one ({@code callback},
     * {@code cb}, {@code listener}, {@code handler}), or {@code this} inside a class that is one
     * (an anonymous {@code new Callback() {...}}, a class implementing {@code ...Listener}).
     */
    private static boolean passesACallback(TreePath path, MethodInvocationTree call) {
        for (ExpressionTree arg : call.getArguments()) {
            ExpressionTree e = Analysis.strip(arg);
            if (e instanceof IdentifierTree id) {
                String n = id.getName().toString();
                if (n.equals("this")) {
                    if (enclosingClassIsACallback(path)) {
                        return true;
                    }
                } else if (CALLBACK_NAME.matcher(n).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static final java.util.regex.Pattern CALLBACK_NAME = java.util.regex.Pattern.compile(
            "(?i)cb|.*(callback|listener|handler)");

    private static boolean enclosingClassIsACallback(TreePath path) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree ct) {
                List<Tree> supers = new java.util.ArrayList<>(ct.getImplementsClause());
                if (ct.getExtendsClause() != null) {
                    supers.add(ct.getExtendsClause());
                }
                if (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof NewClassTree nc) {
                    supers.add(nc.getIdentifier());
                }
                for (Tree t : supers) {
                    if (CALLBACK_NAME.matcher(Analysis.simple(t.toString().replaceAll("<.*", ""))).matches()) {
                        return true;
                    }
                }
                return false;
            }
        }
        return false;
    }

    /**
     * The enclosing class's only method named {@code name} taking {@code arity} parameters, or null
     * (also null when another method of that name takes the same number: the call could name either).
     */
    private static MethodTree method(TreePath path, String name, int arity) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree ct) {
                MethodTree found = null;
                for (Tree member : ct.getMembers()) {
                    if (member instanceof MethodTree m && m.getName().contentEquals(name)) {
                        if (arity == 0 && !m.getParameters().isEmpty()) {
                            return null; // overloaded: the reference could name another one
                        }
                        if (m.getParameters().size() == arity) {
                            if (found != null) {
                                return null;
                            }
                            found = m;
                        }
                    }
                }
                return found;
            }
        }
        return null;
    }

    /**
     * The task's body ends in a {@code try} that catches {@code Throwable} (or {@code Exception}):
     * failures are reported by the task itself, or deliberately dropped by an empty catch (ADR 0123),
     * not lost with its Future. The
     * {@code try} may sit in an {@code if} without {@code else} ({@code if (!cancelled) try ...}), and
     * may be followed by a {@code return} of a constant (a {@code Callable} returning {@code null}).
     * When {@code uncheckedOnly} (the body is a {@code Runnable}'s: a lambda returning no value, or
     * {@code void run()}), it can throw no checked exception, so {@code catch (RuntimeException e)}
     * catches as much as {@code catch (Exception e)} and counts too (ADR 0121).
     */
    private static boolean reportsItsFailures(BlockTree body, boolean uncheckedOnly) {
        return reportsItsFailures(body, uncheckedOnly, true);
    }

    /**
     * {@link #reportsItsFailures(BlockTree, boolean)}; {@code whole}: nothing of the task's work runs
     * before this block's last statement (an empty catch only counts when the {@code try} holds all of
     * the work: an assertion before it fails into the Future).
     */
    private static boolean reportsItsFailures(BlockTree body, boolean uncheckedOnly, boolean whole) {
        List<? extends StatementTree> sts = body.getStatements();
        if (sts.isEmpty()) {
            return false;
        }
        int at = sts.size() - 1;
        StatementTree last = sts.get(at);
        if (last instanceof ReturnTree r && sts.size() > 1 && (r.getExpression() == null
                || r.getExpression() instanceof LiteralTree || Analysis.strip(r.getExpression()) instanceof IdentifierTree)) {
            last = sts.get(--at); // `return null;`, or `return mapped;` of a variable: nothing left to fail
        }
        while (at > 0 && logs(last)) {
            last = sts.get(--at); // LOGGER.info("done") after the try only reports (ADR 0127)
        }
        whole &= at == 0;
        if (last instanceof com.sun.source.tree.SynchronizedTree sync) {
            // synchronized (lock) { ... try { } catch (Exception e) { log } return x; }: judge the block (ADR 0127)
            return reportsItsFailures(sync.getBlock(), uncheckedOnly, whole);
        }
        if (last instanceof IfTree it && it.getElseStatement() == null) {
            last = it.getThenStatement();
            if (last instanceof BlockTree b) {
                return reportsItsFailures(b, uncheckedOnly, false); // the condition may throw
            }
        }
        if (!(last instanceof TryTree tt)) {
            return false;
        }
        for (CatchTree ct : tt.getCatches()) {
            boolean all = false;
            boolean throwable = false;
            for (String alt : ct.getParameter().getType().toString().split("\\|")) { // a multi-catch too
                String t = alt.trim();
                throwable |= t.equals("Throwable") || t.equals("java.lang.Throwable");
                all |= throwable || t.equals("Exception") || t.equals("java.lang.Exception")
                        || (uncheckedOnly && (t.equals("RuntimeException") || t.equals("java.lang.RuntimeException")));
            }
            if (all && !ct.getBlock().getStatements().isEmpty()) {
                return true;
            }
            if (all && whole && (throwable || !asserts(tt.getBlock()))) {
                // an empty catch-all around all of the work drops the failures on purpose: nothing would
                // reach the Future (an Error at most, and no assertion fails into it), so keeping and
                // joining it would show nothing more (ADR 0123)
                return true;
            }
        }
        return false;
    }

    /** A statement that only logs or prints ({@code LOGGER.info(..)}, {@code log.debug(..)}). */
    private static boolean logs(StatementTree st) {
        return st instanceof ExpressionStatementTree es && es.getExpression() instanceof MethodInvocationTree mi
                && Analysis.methodName(mi) != null && Tails.LOGGING.contains(Analysis.methodName(mi));
    }

    /** The block calls a test assertion ({@code fail}, {@code assert...}), whose AssertionError a catch of Exception lets through. */
    private static boolean asserts(BlockTree block) {
        return OwnCode.anyCall(block, m -> {
            String n = Analysis.methodName(m);
            return n != null && (n.equals("fail") || n.startsWith("assert"));
        });
    }

    /**
     * A lambda's block body returns no value ({@code return;} at most, not counting nested lambdas and
     * classes): it is a {@code Runnable}, which cannot throw a checked exception.
     */
    private static boolean returnsNoValue(BlockTree body) {
        boolean[] valued = {false};
        new OwnCode() {
            @Override
            public Void visitReturn(ReturnTree r, Void v) {
                valued[0] |= r.getExpression() != null;
                return null;
            }
        }.scan(body, null);
        return !valued[0];
    }

    private static boolean isSupervisorSpawn(Analysis a, Analysis.Call c, TreePath path) {
        if (c.exact() && !c.supers().contains("dev.weft.TaskGroup")) {
            return false;
        }
        ExpressionTree r = Analysis.strip(c.receiver());
        if (!(r instanceof IdentifierTree id)) {
            return false;
        }
        Analysis.Var v = a.lookup(id.getName().toString());
        if (v == null) {
            return false;
        }
        if (v.type() != null && v.type().toString().contains("Supervisor")) {
            return true;
        }
        if (v.init() != null) {
            return Analysis.callsNamedContaining(v.init(), "upervis");
        }
        // a lambda parameter: is the lambda handed to a supervisor factory?
        TreePath decl = v.declaredIn();
        for (TreePath p = decl; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof LambdaExpressionTree) {
                Tree parent = p.getParentPath() == null ? null : p.getParentPath().getLeaf();
                return parent instanceof MethodInvocationTree m && Analysis.methodName(m) != null
                        && Analysis.methodName(m).contains("upervis");
            }
        }
        return false;
    }
}
