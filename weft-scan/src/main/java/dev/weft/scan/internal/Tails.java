package dev.weft.scan.internal;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.util.TreePath;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * Where work ends: whether a statement is the last thing its method or lambda does (only logging,
 * printing, a {@code break} or a final {@code return} after it), and, across the files of one
 * module, whether a method is only ever called as the last thing a process's {@code main} or a
 * shutdown hook does (issue 12: an interrupt caught at the end of such a method ends the process's
 * work one call level up, as it would in {@code main} itself).
 *
 * <p>Each file's {@link Analysis} records its calls in a {@link Calls}; the engine merges them per
 * module (the directory above {@code src/}) once every file is scanned, and drops the findings whose
 * condition they meet.
 */
final class Tails {
    private Tails() {
    }

    /** Calls whose only effect is to report: printing and logging, on any receiver. */
    static final Set<String> LOGGING = Set.of("log", "debug", "info", "warn", "warning",
            "error", "trace", "fine", "finer", "finest", "severe", "config", "print", "println", "printf", "format",
            "printStackTrace");

    /**
     * The statements only wind the work up: logging, printing or flushing, and at most a final
     * {@code return} or {@code break}.
     *
     * @param rest the statements after the one in question, in its block
     * @return whether they do nothing that carries the work on
     */
    static boolean onlyWindsUp(List<? extends StatementTree> rest) {
        for (int i = 0; i < rest.size(); i++) {
            StatementTree st = rest.get(i);
            if ((st instanceof ReturnTree || st instanceof BreakTree) && i == rest.size() - 1) {
                continue;
            }
            if (st instanceof ExpressionStatementTree es && es.getExpression() instanceof MethodInvocationTree mi
                    && Analysis.methodName(mi) != null
                    && (LOGGING.contains(Analysis.methodName(mi)) || "flush".equals(Analysis.methodName(mi)))) {
                continue;
            }
            return false;
        }
        return true;
    }

    /**
     * The method or lambda whose work ends with this statement: every statement after it, at each
     * level up to the body (blocks, {@code if} branches, {@code try} and {@code catch} blocks,
     * {@code switch} cases), only winds up. Loops are not left: their body runs again.
     *
     * @param statement the statement's path
     * @return the enclosing {@link MethodTree} or {@link LambdaExpressionTree}, or null when work follows
     */
    static Tree owner(TreePath statement) {
        TreePath cur = statement;
        while (cur.getParentPath() != null) {
            TreePath up = cur.getParentPath();
            Tree parent = up.getLeaf();
            switch (parent) {
                case BlockTree b -> {
                    List<? extends StatementTree> sts = b.getStatements();
                    int at = sts.indexOf(cur.getLeaf());
                    if (at >= 0 && !onlyWindsUp(sts.subList(at + 1, sts.size()))) {
                        return null;
                    }
                }
                case CaseTree c -> {
                    List<? extends StatementTree> sts = c.getStatements();
                    int at = sts == null ? -1 : sts.indexOf(cur.getLeaf());
                    if (at >= 0 && !onlyWindsUp(sts.subList(at + 1, sts.size()))) {
                        return null;
                    }
                    up = up.getParentPath(); // the switch
                    if (up == null || !(up.getLeaf() instanceof SwitchTree)) {
                        return null;
                    }
                }
                case MethodTree m -> {
                    return m;
                }
                case LambdaExpressionTree l -> {
                    return l;
                }
                case IfTree i -> { }
                case TryTree t -> { }
                case CatchTree c -> { }
                case SynchronizedTree s -> { }
                case LabeledStatementTree l -> { }
                default -> {
                    return null;
                }
            }
            cur = up;
        }
        return null;
    }

    /**
     * Whether the work of this method or lambda is the end of a process: {@code static main(String[])},
     * or a lambda run by a shutdown hook ({@code addShutdownHook(new Thread(() -> ...))}).
     *
     * @param owner what {@link #owner} returned
     * @param path  its path
     * @return whether the process's work ends with it
     */
    static boolean endsProcess(Tree owner, TreePath path) {
        if (owner instanceof MethodTree mt) {
            return mt.getName().contentEquals("main") && mt.getParameters().size() == 1
                    && mt.getModifiers().getFlags().contains(Modifier.STATIC);
        }
        if (owner instanceof LambdaExpressionTree && path != null) {
            TreePath p = path;
            while (p != null && p.getLeaf() != owner) {
                p = p.getParentPath();
            }
            TreePath t = p == null ? null : p.getParentPath();
            if (t != null && t.getLeaf() instanceof NewClassTree && t.getParentPath() != null
                    && t.getParentPath().getLeaf() instanceof MethodInvocationTree hook) {
                return "addShutdownHook".equals(Analysis.methodName(hook));
            }
        }
        return false;
    }

    /**
     * The calls of one file (then, merged, of a module) by callee: {@code Class.method/arity}, the
     * class being the receiver's type as far as names tell ({@code ?} when they do not), and how many
     * of those calls end a process's work.
     */
    static final class Calls {
        private final Map<String, int[]> counts = new HashMap<>();

        /**
         * Records one call.
         *
         * @param callee       {@code Class.method/arity}
         * @param endsProcess  whether it is the last thing a {@code main} or a shutdown hook does
         */
        void add(String callee, boolean endsProcess) {
            counts.computeIfAbsent(callee, k -> new int[2])[endsProcess ? 0 : 1]++;
        }

        /**
         * Adds another file's calls.
         *
         * @param other the other file's calls
         */
        void addAll(Calls other) {
            other.counts.forEach((k, v) -> {
                int[] c = counts.computeIfAbsent(k, x -> new int[2]);
                c[0] += v[0];
                c[1] += v[1];
            });
        }

        /**
         * Whether the method is called, and every call to it (or to a method of that name and arity
         * on a receiver whose type is not known, or a reference to it) ends a process's work.
         *
         * @param callee {@code Class.method/arity}
         * @return whether its work is the end of the process wherever it runs
         */
        boolean onlyEndsProcess(String callee) {
            int[] c = counts.get(callee);
            if (c == null || c[0] == 0 || c[1] > 0) {
                return false;
            }
            String method = callee.substring(callee.lastIndexOf('.', callee.indexOf('/')) + 1);
            String name = method.substring(0, method.indexOf('/'));
            String cls = callee.substring(0, callee.length() - method.length());
            return notElsewhere("?." + method) && notElsewhere(cls + name + "/*") && notElsewhere("?." + name + "/*");
        }

        private boolean notElsewhere(String key) {
            int[] c = counts.get(key);
            return c == null || c[1] == 0;
        }

        /**
         * Records a call as {@link Analysis} sees it.
         *
         * @param a    the file's analysis (for the receiver's type and the enclosing class)
         * @param call the call's path
         */
        void record(Analysis a, TreePath call) {
            Tree leaf = call.getLeaf();
            if (leaf instanceof MemberReferenceTree mr) {
                add(receiverClass(a, mr.getQualifierExpression()) + "." + mr.getName() + "/*", false);
                return;
            }
            MethodInvocationTree mit = (MethodInvocationTree) leaf;
            String name = Analysis.methodName(mit);
            if (name == null) {
                return;
            }
            String callee = receiverClass(a, Analysis.receiverOf(mit)) + "." + name + "/" + mit.getArguments().size();
            boolean ends = false;
            if (call.getParentPath() != null && call.getParentPath().getLeaf() instanceof ExpressionStatementTree) {
                Tree owner = owner(call.getParentPath());
                ends = owner != null && endsProcess(owner, call);
            }
            add(callee, ends);
        }

        private static String receiverClass(Analysis a, ExpressionTree recv) {
            ExpressionTree r = recv == null ? null : Analysis.strip(recv);
            if (r == null || Analysis.isThis(r)) {
                String c = a.enclosingClass();
                return c == null || c.isEmpty() ? "?" : simple(c);
            }
            if (r instanceof NewClassTree nc) {
                return simple(nc.getIdentifier().toString());
            }
            if (r instanceof IdentifierTree) {
                String t = a.inferType(r);
                return t == null ? "?" : simple(t);
            }
            return "?";
        }

        private static String simple(String name) {
            String s = name.replaceAll("<.*", "");
            return s.substring(s.lastIndexOf('.') + 1);
        }
    }

    /**
     * The callee key of the method or lambda a statement ends, for {@link Calls#onlyEndsProcess}:
     * {@code Class.method/arity} of the enclosing method, or null (a lambda, or nothing).
     *
     * @param a     the file's analysis
     * @param owner what {@link #owner} returned
     * @param path  a path inside it
     * @return the key, or null
     */
    static String calleeKey(Analysis a, Tree owner, TreePath path) {
        if (!(owner instanceof MethodTree mt) || mt.getName().contentEquals("<init>")) {
            return null;
        }
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree ct) {
                if (ct.getSimpleName().isEmpty()) {
                    return null; // an anonymous class: called through its interface, callers unknown
                }
                return ct.getSimpleName() + "." + mt.getName() + "/" + mt.getParameters().size();
            }
        }
        return null;
    }
}
