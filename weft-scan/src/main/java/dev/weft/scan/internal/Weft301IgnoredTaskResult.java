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
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import dev.weft.scan.Rule;
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
        if (task instanceof LambdaExpressionTree l && l.getBody() instanceof BlockTree b
                && (b.getStatements().isEmpty() || reportsItsFailures(b))) {
            return true;
        }
        if (task instanceof MemberReferenceTree mr && Analysis.isThis(mr.getQualifierExpression())) {
            // submit(this::run) where run() of this class reports its own failures (Helidon's SocketWriterAsync)
            MethodTree m = noArgMethod(path, mr.getName().toString());
            if (m != null && m.getBody() != null && !m.getBody().getStatements().isEmpty() && reportsItsFailures(m.getBody())) {
                return true;
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

    /** The enclosing class's only method named {@code name} taking no parameters, or null. */
    private static MethodTree noArgMethod(TreePath path, String name) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree ct) {
                MethodTree found = null;
                for (Tree member : ct.getMembers()) {
                    if (member instanceof MethodTree m && m.getName().contentEquals(name)) {
                        if (found != null || !m.getParameters().isEmpty()) {
                            return null; // overloaded: the reference could name another one
                        }
                        found = m;
                    }
                }
                return found;
            }
        }
        return null;
    }

    /**
     * The task's body ends in a {@code try} that catches {@code Throwable} (or {@code Exception}) and
     * does something with it: failures are reported by the task itself, not lost with its Future.
     */
    private static boolean reportsItsFailures(BlockTree body) {
        if (!(body.getStatements().get(body.getStatements().size() - 1) instanceof TryTree tt)) {
            return false;
        }
        for (CatchTree ct : tt.getCatches()) {
            String t = ct.getParameter().getType().toString();
            if ((t.equals("Throwable") || t.equals("Exception") || t.equals("java.lang.Throwable")
                    || t.equals("java.lang.Exception")) && !ct.getBlock().getStatements().isEmpty()) {
                return true;
            }
        }
        return false;
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
