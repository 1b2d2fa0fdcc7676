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
        com.sun.source.tree.CompilationUnitTree unit = path.getCompilationUnit();
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
                if (("interrupt".equals(n) && interruptsThisThread(node)) || "fail".equals(n)
                        || failsAlways(n, node.getArguments())) {
                    handled[0] = true;
                }
                if (n != null && LOGGING.contains(n)) {
                    return scan(node.getMethodSelect(), unused); // logged, not handed on
                }
                // handed on: sneaky rethrow (throwAsUnchecked(e)), a future or promise failed with it
                if (n != null && passes(node.getArguments(), var)) {
                    handled[0] = true;
                }
                // `interrupted.set(true)` on an AtomicBoolean (or lazySet/getAndSet/compareAndSet(false, true)):
                // the interrupt recorded, as `interrupted = true` is, in a flag named for it
                ExpressionTree recv = Analysis.receiverOf(node);
                if (n != null && recv != null && setsTrue(n, node.getArguments())
                        && mentionsInterrupt(Analysis.strip(recv).toString())) {
                    handled[0] = true;
                }
                // a helper of this file that restores the flag (restoreInterrupt(), this.onInterrupt(e))
                if (n != null && (recv == null || Analysis.isThis(recv))
                        && (restoresInHelper(unit, n, node.getArguments().size(), false)
                                || throwsInHelper(unit, n, node.getArguments().size()))) {
                    handled[0] = true;
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitNewClass(com.sun.source.tree.NewClassTree node, Void unused) {
                // handed on inside a new exception (new InterruptException(e), kept to be thrown later),
                // or a type of this file whose constructor restores the flag
                if (passes(node.getArguments(), var) || restoresInHelper(unit,
                        Analysis.simple(node.getIdentifier().toString().replaceAll("<.*", "")),
                        node.getArguments().size(), true)) {
                    handled[0] = true;
                }
                return super.visitNewClass(node, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree node, Void unused) {
                // `interrupted = true;` or `state = INTERRUPTED;` records the interrupt to act on later;
                // `cause = e;` keeps the exception to throw or report later. Any other flag set to true
                // (`done = true`) says nothing about the interrupt.
                ExpressionTree rhs = Analysis.strip(node.getExpression());
                if ((rhs instanceof LiteralTree lt && Boolean.TRUE.equals(lt.getValue())
                        && mentionsInterrupt(node.getVariable().toString()))
                        || (rhs instanceof IdentifierTree id && (mentionsInterrupt(id.getName().toString())
                                || id.getName().contentEquals(var)))) {
                    handled[0] = true;
                }
                return super.visitAssignment(node, unused);
            }

            @Override
            public Void visitClass(ClassTree node, Void unused) {
                return null;
            }
        }.scan(ct.getBlock(), null);
        if (!handled[0] && (endsTheProcess(ct.getBlock()) || expectedByTheTest(path) || returnsFromTaskBody(ct, path) || endsTaskBody(path)
                || endsItsLoop(ct, path) || breaksOutOfTaskLoop(ct, path) || breaksOnItsStopInterrupt(unit, ct, path)
                || returnEndsTaskLoop(unit, ct, path)
                || stopSignal(unit, path) || leavesOnItsStopState(unit, ct, path)
                || cannotBeInterrupted(a, unit, path))) {
            handled[0] = true;
        }
        if (!handled[0]) {
            TreePath paramPath = new TreePath(path, ct.getParameter());
            // the try ends its method: if every call of the method, across the module, is the last thing
            // a process's main or shutdown hook does, the work ends one call level up (the engine decides)
            Tree owner = Tails.owner(path.getParentPath());
            a.report(Rule.WEFT303, ct.getParameter(), paramPath, "InterruptedException is caught and dropped: the"
                    + " interrupt is how cancellation and deadlines reach this thread; rethrow it or call"
                    + " Thread.currentThread().interrupt()", true, Tails.calleeKey(a, owner, path));
        }
    }

    private static final java.util.Set<String> LOGGING = Tails.LOGGING;

    /**
     * The catch block itself (not a branch of it) calls {@code System.exit(..)}, {@code Runtime.getRuntime().exit(..)}
     * or {@code .halt(..)}: the process ends, so restoring the flag first would change nothing.
     */
    private static boolean endsTheProcess(com.sun.source.tree.BlockTree block) {
        for (StatementTree st : block.getStatements()) {
            if (st instanceof com.sun.source.tree.ExpressionStatementTree es
                    && es.getExpression() instanceof MethodInvocationTree mi) {
                String n = Analysis.methodName(mi);
                ExpressionTree recv = Analysis.receiverOf(mi);
                String r = recv == null ? "" : Analysis.strip(recv).toString();
                if (("exit".equals(n) && (r.equals("System") || r.equals("java.lang.System")))
                        || (("exit".equals(n) || "halt".equals(n)) && r.endsWith("Runtime.getRuntime()"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code try { call(); fail("expected an interrupt"); } catch (InterruptedException e) { }}: the
     * {@code try}'s last act fails the test, so the interrupt is what the test expects and the catch is
     * its expected path (JUnit's classic expected-exception idiom). A {@code fail} elsewhere in the
     * block (in an {@code if}, before the call) does not say so.
     */
    private static boolean expectedByTheTest(TreePath catchPath) {
        if (!(catchPath.getParentPath().getLeaf() instanceof com.sun.source.tree.TryTree tt)) {
            return false;
        }
        List<? extends StatementTree> sts = tt.getBlock().getStatements();
        if (sts.size() < 2 || !(sts.get(sts.size() - 1) instanceof com.sun.source.tree.ExpressionStatementTree es)
                || !(es.getExpression() instanceof MethodInvocationTree mi)) {
            return false;
        }
        String n = Analysis.methodName(mi);
        return "fail".equals(n) || failsAlways(n, mi.getArguments());
    }

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
     * The {@code try} is the last thing a lambda body or a {@code run}/{@code call} method does
     * (followed at each level, through {@code if} branches and enclosing {@code try} blocks, only by
     * logging and its final {@code return x;}): when the interrupt is caught the thread's work ends,
     * which is what the interrupt asked for (the flag dies with the task).
     */
    private static boolean endsTaskBody(TreePath catchPath) {
        TreePath tryPath = catchPath.getParentPath();
        if (tryPath == null || !(tryPath.getLeaf() instanceof com.sun.source.tree.TryTree tt)) {
            return false;
        }
        // every level up to the body only winds up after it: blocks, if branches, enclosing try and
        // catch blocks (a finally of its own runs whatever happens); a loop's body runs again
        Tree owner = Tails.owner(tryPath);
        if (owner instanceof LambdaExpressionTree) {
            return true;
        }
        return owner instanceof MethodTree mt && (mt.getParameters().isEmpty()
                && (mt.getName().contentEquals("run") || mt.getName().contentEquals("call"))
                || Tails.endsProcess(mt, null));
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

    /**
     * {@code while (!shutDown) { try { queue.readIn(); } catch (InterruptedException e) { shutDown = true; } }}
     * in a lambda or a {@code run()}/{@code call()} method: the catch writes the loop's own condition
     * (a variable that is one operand of the condition's {@code &&} chain: set to {@code true} when
     * the operand is {@code !flag}, to {@code false} when it is {@code flag}), and the {@code try} is
     * the last statement of the loop's body, so the loop ends right after the catch, as a
     * {@code break} would, and the thread's work with it (ADR 0121). In a helper the caller would
     * carry on unaware, so it is still flagged there.
     */
    private static boolean endsItsLoop(CatchTree ct, TreePath catchPath) {
        TreePath tryPath = catchPath.getParentPath();
        if (tryPath == null || tryPath.getParentPath() == null) {
            return false;
        }
        Tree body = tryPath.getParentPath().getLeaf();
        TreePath loopPath = tryPath.getParentPath();
        if (body instanceof com.sun.source.tree.BlockTree b) {
            List<? extends StatementTree> sts = b.getStatements();
            if (sts.isEmpty() || sts.get(sts.size() - 1) != tryPath.getLeaf()) {
                return false;
            }
            loopPath = loopPath.getParentPath();
        }
        if (loopPath == null) {
            return false;
        }
        ExpressionTree cond;
        if (loopPath.getLeaf() instanceof com.sun.source.tree.WhileLoopTree w) {
            cond = w.getCondition();
        } else if (loopPath.getLeaf() instanceof com.sun.source.tree.DoWhileLoopTree d) {
            cond = d.getCondition();
        } else {
            return false;
        }
        String unitOfWork = Analysis.enclosingMethodName(loopPath);
        boolean inTask = "run".equals(unitOfWork) || "call".equals(unitOfWork);
        for (TreePath p = loopPath; p != null && !inTask; p = p.getParentPath()) {
            if (p.getLeaf() instanceof LambdaExpressionTree) {
                inTask = true;
            } else if (p.getLeaf() instanceof MethodTree || p.getLeaf() instanceof ClassTree) {
                break;
            }
        }
        if (!inTask) {
            return false;
        }
        // each operand of the && chain: `!flag` ends the loop when flag becomes true, `flag` when false
        java.util.Map<String, Boolean> ending = new java.util.HashMap<>();
        java.util.ArrayDeque<ExpressionTree> todo = new java.util.ArrayDeque<>();
        todo.add(Analysis.strip(cond));
        while (!todo.isEmpty()) {
            ExpressionTree e = Analysis.strip(todo.poll());
            if (e instanceof com.sun.source.tree.BinaryTree bt && bt.getKind() == Tree.Kind.CONDITIONAL_AND) {
                todo.add(bt.getLeftOperand());
                todo.add(bt.getRightOperand());
            } else if (e instanceof com.sun.source.tree.UnaryTree u && u.getKind() == Tree.Kind.LOGICAL_COMPLEMENT
                    && Analysis.strip(u.getExpression()) instanceof IdentifierTree id) {
                ending.put(id.getName().toString(), Boolean.TRUE);
            } else if (e instanceof IdentifierTree id) {
                ending.put(id.getName().toString(), Boolean.FALSE);
            }
        }
        for (StatementTree st : ct.getBlock().getStatements()) {
            if (st instanceof com.sun.source.tree.ExpressionStatementTree es
                    && es.getExpression() instanceof AssignmentTree as
                    && Analysis.strip(as.getExpression()) instanceof LiteralTree lt && lt.getValue() instanceof Boolean v) {
                for (java.util.Map.Entry<String, Boolean> en : ending.entrySet()) {
                    if (names(as.getVariable(), en.getKey()) && v.equals(en.getValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The catch ends with {@code break;} out of the loop whose body holds the {@code try}, and that
     * loop is the last statement of a task body (a {@code run()} or {@code call()} method, or a
     * lambda): the break ends the thread's work, as a {@code return} there would (ADR 0122).
     */
    private static boolean breaksOutOfTaskLoop(CatchTree ct, TreePath catchPath) {
        TreePath blockPath = taskLoopBlock(ct, catchPath);
        if (blockPath == null) {
            return false;
        }
        List<? extends StatementTree> sts = ((com.sun.source.tree.BlockTree) blockPath.getLeaf()).getStatements();
        if (sts.get(sts.size() - 1) != loopOf(catchPath).getLeaf()) {
            return false;
        }
        Tree owner = blockPath.getParentPath().getLeaf();
        return owner instanceof LambdaExpressionTree || owner instanceof MethodTree m
                && (m.getName().contentEquals("run") || m.getName().contentEquals("call")) && m.getParameters().isEmpty();
    }

    /**
     * {@code catch (InterruptedException e) { ...; return false; }} in a method whose every call in this file
     * is an operand of the {@code &&} condition of a loop in a no-argument {@code run()}/{@code call()}, a loop
     * followed there only by wind-up (logging): the {@code false} ends that loop and the thread's work, as a
     * {@code break} out of it would (ADR 0122, 0127). RocketMQ's {@code AllocateMappedFileService}:
     * {@code while (!isStopped() && mmapOperation()) { }}. A helper also called anywhere else, a
     * {@code return true}, or more work after the loop keeps the finding.
     */
    private static boolean returnEndsTaskLoop(com.sun.source.tree.CompilationUnitTree unit, CatchTree ct,
                                              TreePath catchPath) {
        List<? extends StatementTree> sts = ct.getBlock().getStatements();
        if (sts.isEmpty() || !(sts.get(sts.size() - 1) instanceof ReturnTree r) || r.getExpression() == null
                || !(Analysis.strip(r.getExpression()) instanceof LiteralTree lt) || !Boolean.FALSE.equals(lt.getValue())) {
            return false;
        }
        MethodTree helper = null;
        for (TreePath p = catchPath.getParentPath(); p != null && helper == null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
                return false;
            }
            if (p.getLeaf() instanceof MethodTree m) {
                helper = m;
            }
        }
        if (helper == null) {
            return false;
        }
        String name = helper.getName().toString();
        int arity = helper.getParameters().size();
        java.util.Set<Tree> inTaskLoops = new java.util.HashSet<>();
        int[] calls = {0};
        boolean[] elsewhere = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethod(MethodTree m, Void unused) {
                if (m.getBody() != null && m.getParameters().isEmpty()
                        && (m.getName().contentEquals("run") || m.getName().contentEquals("call"))) {
                    List<? extends StatementTree> body = m.getBody().getStatements();
                    for (int i = 0; i < body.size(); i++) {
                        ExpressionTree cond = body.get(i) instanceof com.sun.source.tree.WhileLoopTree w ? w.getCondition()
                                : body.get(i) instanceof com.sun.source.tree.DoWhileLoopTree d ? d.getCondition() : null;
                        if (cond != null && Tails.onlyWindsUp(body.subList(i + 1, body.size()))) {
                            conjuncts(cond, inTaskLoops);
                        }
                    }
                }
                return super.visitMethod(m, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree mi, Void unused) {
                ExpressionTree recv = Analysis.receiverOf(mi);
                if (name.equals(Analysis.methodName(mi)) && mi.getArguments().size() == arity
                        && (recv == null || thisOrOuterThis(recv))) {
                    calls[0]++;
                    elsewhere[0] |= !inTaskLoops.contains(mi);
                }
                return super.visitMethodInvocation(mi, unused);
            }
        }.scan(unit, null);
        return calls[0] > 0 && !elsewhere[0];
    }

    /** The operands of {@code a && b && ...} (the whole condition when it is not such a chain). */
    private static void conjuncts(ExpressionTree cond, java.util.Set<Tree> out) {
        ExpressionTree c = Analysis.strip(cond);
        if (c instanceof com.sun.source.tree.BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_AND) {
            conjuncts(b.getLeftOperand(), out);
            conjuncts(b.getRightOperand(), out);
        } else {
            out.add(c);
        }
    }

    /** The loop whose body holds the catch's {@code try} (directly or as its block), or null. */
    private static TreePath loopOf(TreePath catchPath) {
        TreePath loopPath = catchPath.getParentPath() == null ? null : catchPath.getParentPath().getParentPath();
        if (loopPath != null && loopPath.getLeaf() instanceof com.sun.source.tree.BlockTree) {
            loopPath = loopPath.getParentPath();
        }
        if (loopPath == null || !(loopPath.getLeaf() instanceof com.sun.source.tree.WhileLoopTree
                || loopPath.getLeaf() instanceof com.sun.source.tree.DoWhileLoopTree
                || loopPath.getLeaf() instanceof com.sun.source.tree.ForLoopTree
                || loopPath.getLeaf() instanceof com.sun.source.tree.EnhancedForLoopTree)) {
            return null;
        }
        return loopPath;
    }

    /**
     * The catch ends with an unlabelled {@code break;} out of the loop whose body holds the {@code try},
     * and that loop is a statement of the block that is a method's or lambda's body: the path of that
     * block, or null.
     */
    private static TreePath taskLoopBlock(CatchTree ct, TreePath catchPath) {
        List<? extends StatementTree> sts = ct.getBlock().getStatements();
        if (sts.isEmpty() || !(sts.get(sts.size() - 1) instanceof com.sun.source.tree.BreakTree br)
                || br.getLabel() != null) {
            return null;
        }
        TreePath loopPath = loopOf(catchPath);
        if (loopPath == null) {
            return null;
        }
        TreePath blockPath = loopPath.getParentPath();
        if (blockPath == null || !(blockPath.getLeaf() instanceof com.sun.source.tree.BlockTree)
                || blockPath.getParentPath() == null) {
            return null;
        }
        Tree owner = blockPath.getParentPath().getLeaf();
        return owner instanceof LambdaExpressionTree || owner instanceof MethodTree ? blockPath : null;
    }

    /**
     * The catch breaks out of a loop of the no-argument {@code run()} of a named class of this file,
     * this file interrupts a thread of that class ({@code worker.interrupt()} on a variable declared
     * as that class, or {@code interrupt()} in another method of the class), and nothing after the
     * loop in {@code run()} waits: the interrupt is that thread's stop signal, the break acts on it,
     * and {@code run()} winds down (flushes, logs) and returns (ADR 0125). Logback's
     * {@code AsyncAppenderBase.Worker}: {@code stop()} interrupts it, it breaks out of its
     * {@code take()} loop, flushes the queue and ends.
     */
    private static boolean breaksOnItsStopInterrupt(com.sun.source.tree.CompilationUnitTree unit, CatchTree ct,
                                                    TreePath catchPath) {
        TreePath blockPath = taskLoopBlock(ct, catchPath);
        if (blockPath == null || !(blockPath.getParentPath().getLeaf() instanceof MethodTree run)
                || !run.getName().contentEquals("run") || !run.getParameters().isEmpty()
                || blockPath.getParentPath().getParentPath() == null
                || !(blockPath.getParentPath().getParentPath().getLeaf() instanceof ClassTree cls)
                || cls.getSimpleName().isEmpty()) {
            return false;
        }
        // what runs after the loop must not wait: a wait there would have been cut short by the flag
        List<? extends StatementTree> sts = ((com.sun.source.tree.BlockTree) blockPath.getLeaf()).getStatements();
        Tree loop = loopOf(catchPath).getLeaf();
        boolean after = false;
        for (StatementTree st : sts) {
            if (after && OwnCode.anyCall(st, mi -> WAITS.contains(Analysis.methodName(mi))
                    || "get".equals(Analysis.methodName(mi)))) {
                return false;
            }
            after |= st == loop;
        }
        String type = cls.getSimpleName().toString();
        java.util.Set<String> threads = new java.util.HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(com.sun.source.tree.VariableTree node, Void unused) {
                if (node.getType() != null && Analysis.simple(node.getType().toString().replaceAll("<.*", ""))
                        .equals(type)) {
                    threads.add(node.getName().toString());
                }
                return super.visitVariable(node, unused);
            }
        }.scan(unit, null);
        boolean[] interrupts = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                ExpressionTree r = Analysis.receiverOf(node);
                if ("interrupt".equals(Analysis.methodName(node)) && node.getArguments().isEmpty() && r != null) {
                    ExpressionTree x = Analysis.strip(r);
                    interrupts[0] |= x instanceof IdentifierTree id && threads.contains(id.getName().toString())
                            || x instanceof com.sun.source.tree.MemberSelectTree ms && Analysis.isThis(ms.getExpression())
                            && threads.contains(ms.getIdentifier().toString());
                }
                return super.visitMethodInvocation(node, unused);
            }
        }.scan(unit, null);
        for (Tree m : cls.getMembers()) {
            if (m instanceof MethodTree mt && mt != run && mt.getBody() != null && OwnCode.anyCall(mt.getBody(),
                    mi -> "interrupt".equals(Analysis.methodName(mi)) && mi.getArguments().isEmpty()
                            && (Analysis.receiverOf(mi) == null || Analysis.isThis(Analysis.receiverOf(mi))))) {
                interrupts[0] = true;
            }
        }
        return interrupts[0];
    }

    /**
     * {@code set(true)}, {@code lazySet(true)}, {@code setPlain/setRelease/setOpaque(true)},
     * {@code getAndSet(true)} or {@code compareAndSet(false, true)}: an atomic flag set to true.
     */
    private static boolean setsTrue(String name, List<? extends ExpressionTree> args) {
        ExpressionTree last = args.isEmpty() ? null : Analysis.strip(args.get(args.size() - 1));
        if (!(last instanceof LiteralTree lt && Boolean.TRUE.equals(lt.getValue()))) {
            return false;
        }
        return switch (name) {
            case "set", "lazySet", "setPlain", "setRelease", "setOpaque", "getAndSet" -> args.size() == 1;
            case "compareAndSet", "weakCompareAndSet", "weakCompareAndSetPlain" -> args.size() == 2;
            default -> false;
        };
    }

    private static boolean mentionsInterrupt(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).contains("interrupt");
    }

    private static boolean passes(List<? extends ExpressionTree> args, String var) {
        for (ExpressionTree arg : args) {
            if (Analysis.strip(arg) instanceof IdentifierTree id && id.getName().contentEquals(var)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code x.interrupt()} re-asserts this thread's interrupt only when {@code x} is this thread:
     * {@code Thread.currentThread()}, or no receiver / {@code this} (a {@code Thread} subclass
     * interrupting itself). {@code worker.interrupt()} wakes another thread; this one's flag is lost.
     */
    private static boolean interruptsThisThread(MethodInvocationTree call) {
        ExpressionTree recv = Analysis.receiverOf(call);
        if (recv == null || Analysis.isThis(recv)) {
            return true;
        }
        return Analysis.strip(recv) instanceof MethodInvocationTree m && "currentThread".equals(Analysis.methodName(m));
    }

    /** Whether the tree calls {@code Thread.currentThread().interrupt()} (outside nested classes and lambdas). */
    private static boolean restoresFlag(Tree t) {
        return OwnCode.anyCall(t, node -> {
            ExpressionTree recv = Analysis.receiverOf(node);
            return "interrupt".equals(Analysis.methodName(node)) && recv != null
                    && Analysis.strip(recv) instanceof MethodInvocationTree m
                    && "currentThread".equals(Analysis.methodName(m));
        });
    }

    /**
     * A method (or, with {@code constructor}, a class's constructor) of this file, named {@code name}
     * with {@code arity} parameters, whose every declaration of that shape restores the flag: the
     * handling is one call away ({@code restoreInterrupt(e)}, {@code new InterruptException(e)}
     * declared beside it).
     */
    private static boolean restoresInHelper(com.sun.source.tree.CompilationUnitTree unit, String name, int arity,
                                            boolean constructor) {
        return helperDoes(unit, name, arity, constructor, Weft303InterruptSwallowed::restoresFlag);
    }

    /**
     * Whether every method of this file with that name and arity always throws (its body ends in a
     * {@code throw}, a JUnit {@code fail(...)}, or a {@code try} whose block and catches all do):
     * a test framework's {@code threadFail("Unexpected InterruptedException")} fails the test, as
     * {@code fail(...)} does (ADR 0122).
     */
    private static boolean throwsInHelper(com.sun.source.tree.CompilationUnitTree unit, String name, int arity) {
        return helperDoes(unit, name, arity, false, body -> body instanceof com.sun.source.tree.BlockTree b
                && alwaysThrows(b));
    }

    private static boolean alwaysThrows(StatementTree st) {
        if (st instanceof ThrowTree) {
            return true;
        }
        if (st instanceof com.sun.source.tree.BlockTree b) {
            return !b.getStatements().isEmpty() && alwaysThrows(b.getStatements().get(b.getStatements().size() - 1));
        }
        if (st instanceof com.sun.source.tree.ExpressionStatementTree es
                && es.getExpression() instanceof MethodInvocationTree mi) {
            return "fail".equals(Analysis.methodName(mi)) && !mi.getArguments().isEmpty()
                    && (Analysis.receiverOf(mi) == null || Analysis.receiverOf(mi).toString().endsWith("Assertions")
                            || Analysis.receiverOf(mi).toString().endsWith("Assert"));
        }
        if (st instanceof com.sun.source.tree.TryTree tt && tt.getFinallyBlock() == null && tt.getResources().isEmpty()) {
            if (!alwaysThrows(tt.getBlock())) {
                return false;
            }
            for (CatchTree c : tt.getCatches()) {
                if (!alwaysThrows(c.getBlock())) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean helperDoes(com.sun.source.tree.CompilationUnitTree unit, String name, int arity,
                                      boolean constructor, java.util.function.Predicate<Tree> does) {
        if (unit == null || name == null) {
            return false;
        }
        int[] seen = {0, 0};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitClass(ClassTree node, Void unused) {
                if (!constructor || node.getSimpleName().contentEquals(name)) {
                    for (Tree m : node.getMembers()) {
                        if (m instanceof MethodTree mt && mt.getParameters().size() == arity && mt.getBody() != null
                                && mt.getName().contentEquals(constructor ? "<init>" : name)) {
                            seen[0]++;
                            if (does.test(mt.getBody())) {
                                seen[1]++;
                            }
                        }
                    }
                }
                return super.visitClass(node, unused);
            }
        }.scan(unit, null);
        return seen[0] > 0 && seen[0] == seen[1];
    }

    /**
     * The interrupt is the stop signal of the loop the catch sits in: the loop runs
     * {@code while (alive)} (a field, possibly negated or read through {@code get()}), and this
     * file has a block that both clears that field and calls {@code interrupt()} on a thread (the
     * wake-up; {@code this.interrupt()} only when the loop is in a {@code run()} method, the thread's
     * own work), or a method that moves the field on and interrupts the worker (see {@link #closePath}).
     * The loop re-checks the field and ends: the interrupt did what it was sent for.
     */
    private static boolean stopSignal(com.sun.source.tree.CompilationUnitTree unit, TreePath catchPath) {
        ExpressionTree cond = null;
        TreePath loopPath = null;
        for (TreePath p = catchPath.getParentPath(); p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (t instanceof com.sun.source.tree.WhileLoopTree w) {
                cond = w.getCondition();
                loopPath = p;
                break;
            }
            if (t instanceof com.sun.source.tree.DoWhileLoopTree d) {
                cond = d.getCondition();
                loopPath = p;
                break;
            }
            if (t instanceof MethodTree || t instanceof LambdaExpressionTree || t instanceof ClassTree) {
                return false;
            }
        }
        // `this.interrupt()` wakes the thread this class is: only a loop of its run() method runs there
        // (a public method with the same loop runs on its callers' threads, whose interrupt is lost)
        boolean inRun = loopPath != null && "run".equals(Analysis.enclosingMethodName(loopPath));
        // every conjunct of `while (running && !shutdown && sock != null)` stops the loop on its own
        java.util.Set<String> fields = new java.util.HashSet<>();
        conjunctFields(cond, fields);
        exitGuards(loopPath, fields);
        if (fields.isEmpty()) {
            return false;
        }
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitBlock(com.sun.source.tree.BlockTree node, Void unused) {
                boolean clears = false;
                boolean interrupts = false;
                for (StatementTree st : node.getStatements()) {
                    if (st instanceof com.sun.source.tree.ExpressionStatementTree es) {
                        ExpressionTree e = es.getExpression();
                        if (e instanceof AssignmentTree as && namesAny(as.getVariable(), fields)) {
                            clears = true;
                        } else if (e instanceof MethodInvocationTree mi) {
                            String n = Analysis.methodName(mi);
                            ExpressionTree r = Analysis.receiverOf(mi);
                            if (("set".equals(n) || "compareAndSet".equals(n) || "getAndSet".equals(n))
                                    && r != null && namesAny(r, fields)) {
                                clears = true;
                            } else if ("interrupt".equals(n) && mi.getArguments().isEmpty()
                                    && (r != null && !Analysis.isThis(r) || inRun)) {
                                interrupts = true;
                            }
                        }
                    }
                }
                found[0] |= clears && interrupts;
                return super.visitBlock(node, unused);
            }
        }.scan(unit, null);
        return found[0] || closePath(unit, fields, inRun);
    }

    /**
     * {@code catch (InterruptedException e) { if (STATE.get(Timer.this) == SHUTDOWN) return Long.MIN_VALUE; }}
     * (ADR 0127): among the catch block's own statements, an {@code if} without {@code else} that
     * {@code return}s when a stop field is set, and a method of this file moves that field on and
     * interrupts the worker ({@link #closePath}): the interrupt is the stop signal, and the catch leaves
     * on it, as Netty's and Dubbo's {@code HashedWheelTimer.Worker.waitForNextTick()} do after
     * {@code stop()}. A guard on a field nothing interrupts with, or on anything else, is still flagged.
     */
    private static boolean leavesOnItsStopState(com.sun.source.tree.CompilationUnitTree unit, CatchTree ct,
                                                 TreePath catchPath) {
        java.util.Set<String> fields = new java.util.HashSet<>();
        for (StatementTree st : ct.getBlock().getStatements()) {
            if (!(st instanceof com.sun.source.tree.IfTree it) || it.getElseStatement() != null) {
                continue;
            }
            StatementTree then = it.getThenStatement();
            if (then instanceof com.sun.source.tree.BlockTree b && b.getStatements().size() == 1) {
                then = b.getStatements().get(0);
            }
            if (then instanceof ReturnTree) {
                disjunctFields(it.getCondition(), fields);
            }
        }
        return !fields.isEmpty()
                && closePath(unit, fields, "run".equals(Analysis.enclosingMethodName(catchPath)));
    }

    /**
     * Fields whose test ends the loop from inside its body (ADR 0124): {@code if (halted.get()) break;}
     * or {@code ... return;} among the top-level statements of the loop's body, or of a
     * {@code synchronized} block there (Quartz's scheduler thread re-checks {@code halted} under its
     * lock right after the wait). A {@code break} counts only for a field that an enclosing loop of
     * the same method also stops on ({@code while (!halted.get())}), so the thread's work ends; a
     * {@code return} ends it by itself.
     */
    private static void exitGuards(TreePath loopPath, java.util.Set<String> out) {
        if (loopPath == null) {
            return;
        }
        Tree loop = loopPath.getLeaf();
        StatementTree body = loop instanceof com.sun.source.tree.WhileLoopTree w ? w.getStatement()
                : loop instanceof com.sun.source.tree.DoWhileLoopTree d ? d.getStatement() : null;
        if (!(body instanceof com.sun.source.tree.BlockTree block)) {
            return;
        }
        java.util.Set<String> outer = new java.util.HashSet<>();
        for (TreePath p = loopPath.getParentPath(); p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (t instanceof com.sun.source.tree.WhileLoopTree w) {
                conjunctFields(w.getCondition(), outer);
            } else if (t instanceof com.sun.source.tree.DoWhileLoopTree d) {
                conjunctFields(d.getCondition(), outer);
            } else if (t instanceof MethodTree || t instanceof LambdaExpressionTree || t instanceof ClassTree) {
                break;
            }
        }
        List<StatementTree> sts = new java.util.ArrayList<>(block.getStatements());
        for (StatementTree st : block.getStatements()) {
            if (st instanceof com.sun.source.tree.SynchronizedTree sync) {
                sts.addAll(sync.getBlock().getStatements());
            }
        }
        for (StatementTree st : sts) {
            if (!(st instanceof com.sun.source.tree.IfTree it) || it.getElseStatement() != null) {
                continue;
            }
            StatementTree then = it.getThenStatement();
            if (then instanceof com.sun.source.tree.BlockTree b && b.getStatements().size() == 1) {
                then = b.getStatements().get(0);
            }
            boolean returns = then instanceof ReturnTree;
            if (!returns && !(then instanceof com.sun.source.tree.BreakTree br && br.getLabel() == null)) {
                continue;
            }
            java.util.Set<String> guard = new java.util.HashSet<>();
            disjunctFields(it.getCondition(), guard);
            for (String f : guard) {
                if (returns || outer.contains(f)) {
                    out.add(f);
                }
            }
        }
    }

    /** The fields of {@code a || b || ...} (each operand on its own ends the guarded branch); an {@code &&} adds none. */
    private static void disjunctFields(ExpressionTree cond, java.util.Set<String> out) {
        ExpressionTree c = Analysis.strip(cond);
        if (c instanceof com.sun.source.tree.BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_OR) {
            disjunctFields(b.getLeftOperand(), out);
            disjunctFields(b.getRightOperand(), out);
        } else if (!(c instanceof com.sun.source.tree.BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_AND)) {
            conjunctFields(c, out);
        }
    }

    /**
     * A method of this file moves a stop field on ({@code state.compareAndSet(STARTED, CLOSED)},
     * {@code state.set(..)}, {@code running = false}) and wakes the worker ({@code t.interrupt()},
     * {@code executor.shutdownNow()}, {@code future.cancel(true)}), each directly (in its body, its
     * conditions or its lambdas) or through one call of a method of this file: the {@code close()} of a
     * component whose worker loops on that field (Curator's {@code if (closeWithLock()) ... shutdownNow()}).
     */
    private static boolean closePath(com.sun.source.tree.CompilationUnitTree unit, java.util.Set<String> fields,
                                     boolean inRun) {
        java.util.Map<String, boolean[]> direct = new java.util.HashMap<>(); // name -> {writes, wakes}
        java.util.Map<MethodTree, java.util.Set<String>> calls = new java.util.HashMap<>();
        java.util.Map<MethodTree, boolean[]> own = new java.util.HashMap<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethod(MethodTree node, Void unused) {
                if (node.getBody() == null) {
                    return null;
                }
                boolean[] facts = {false, false};
                java.util.Set<String> called = new java.util.HashSet<>();
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitAssignment(AssignmentTree as, Void u) {
                        facts[0] |= namesAny(as.getVariable(), fields);
                        return super.visitAssignment(as, u);
                    }

                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree mi, Void u) {
                        String n = Analysis.methodName(mi);
                        ExpressionTree r = Analysis.receiverOf(mi);
                        if (n != null && STATE_WRITES.contains(n) && r != null && namesAny(r, fields)) {
                            facts[0] = true;
                        } else if (wakes(mi, n, r, inRun)) {
                            facts[1] = true;
                        } else if (n != null && (r == null || Analysis.isThis(r))) {
                            called.add(n);
                        }
                        return super.visitMethodInvocation(mi, u);
                    }

                    @Override
                    public Void visitClass(ClassTree c, Void u) {
                        return null; // another class's methods are visited on their own
                    }
                }.scan(node.getBody(), null);
                direct.merge(node.getName().toString(), facts.clone(), (x, y) -> new boolean[] {x[0] | y[0], x[1] | y[1]});
                own.put(node, facts);
                calls.put(node, called);
                return super.visitMethod(node, unused);
            }
        }.scan(unit, null);
        for (var e : own.entrySet()) {
            boolean writes = e.getValue()[0];
            boolean wakes = e.getValue()[1];
            for (String callee : calls.get(e.getKey())) {
                boolean[] f = direct.get(callee);
                if (f != null) {
                    writes |= f[0];
                    wakes |= f[1];
                }
            }
            if (writes && wakes) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.Set<String> STATE_WRITES = java.util.Set.of("set", "lazySet", "setRelease",
            "compareAndSet", "getAndSet", "weakCompareAndSet", "compareAndExchange");

    /**
     * A call that interrupts a worker: {@code t.interrupt()} (and {@code this.interrupt()} only for a loop
     * in the class's {@code run()}), {@code executor.shutdownNow()}, {@code future.cancel(true)}.
     */
    private static boolean wakes(MethodInvocationTree mi, String n, ExpressionTree r, boolean inRun) {
        if ("interrupt".equals(n) && mi.getArguments().isEmpty()) {
            return r != null && !Analysis.isThis(r) || inRun;
        }
        if ("shutdownNow".equals(n) && mi.getArguments().isEmpty()) {
            return true;
        }
        return "cancel".equals(n) && mi.getArguments().size() == 1
                && Analysis.strip(mi.getArguments().get(0)) instanceof LiteralTree lt && Boolean.TRUE.equals(lt.getValue());
    }

    /**
     * The fields a loop condition stops on: the condition itself, or each operand of a chain of
     * {@code &&} (any one of them false ends the loop), each a field, possibly negated, read
     * through {@code get()} or compared to a state ({@code state.get() == STARTED}). Operands that are
     * not fields add nothing.
     */
    private static void conjunctFields(ExpressionTree cond, java.util.Set<String> out) {
        ExpressionTree c = cond == null ? null : Analysis.strip(cond);
        if (c instanceof com.sun.source.tree.BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_AND) {
            conjunctFields(b.getLeftOperand(), out);
            conjunctFields(b.getRightOperand(), out);
            return;
        }
        if (c instanceof com.sun.source.tree.BinaryTree b
                && (b.getKind() == Tree.Kind.EQUAL_TO || b.getKind() == Tree.Kind.NOT_EQUAL_TO)) {
            // `state.get() == State.STARTED`, `phase != CLOSED`: the state field on either side
            conjunctFields(b.getLeftOperand(), out);
            conjunctFields(b.getRightOperand(), out);
            return;
        }
        if (c instanceof com.sun.source.tree.UnaryTree u && u.getKind() == Tree.Kind.LOGICAL_COMPLEMENT) {
            c = Analysis.strip(u.getExpression());
        }
        if (c instanceof MethodInvocationTree m && "get".equals(Analysis.methodName(m))
                && (m.getArguments().isEmpty() || m.getArguments().size() == 1
                        && thisOrOuterThis(m.getArguments().get(0)))
                && Analysis.receiverOf(m) != null) {
            // `state.get()`, or a field updater's `STATE.get(this)` / `STATE.get(Timer.this)`: the state field
            c = Analysis.strip(Analysis.receiverOf(m));
        }
        String field = c instanceof IdentifierTree id ? id.getName().toString()
                : c instanceof com.sun.source.tree.MemberSelectTree ms && Analysis.isThis(ms.getExpression())
                        ? ms.getIdentifier().toString() : null;
        if (field != null) {
            out.add(field);
        }
    }

    /** {@code this} or {@code Outer.this}. */
    private static boolean thisOrOuterThis(ExpressionTree e) {
        ExpressionTree x = Analysis.strip(e);
        return Analysis.isThis(x)
                || x instanceof com.sun.source.tree.MemberSelectTree ms && ms.getIdentifier().contentEquals("this");
    }

    private static boolean namesAny(ExpressionTree e, java.util.Set<String> fields) {
        for (String f : fields) {
            if (names(e, f)) {
                return true;
            }
        }
        return false;
    }

    private static boolean names(ExpressionTree e, String field) {
        ExpressionTree x = Analysis.strip(e);
        return x instanceof IdentifierTree id && id.getName().contentEquals(field)
                || x instanceof com.sun.source.tree.MemberSelectTree ms && ms.getIdentifier().contentEquals(field)
                        && Analysis.isThis(ms.getExpression());
    }

    /**
     * Nothing in the {@code try} can wait, so nothing can be interrupted: the catch is there for a
     * signature only. Every call in the block is one that returns at once ({@code getNow},
     * {@code resultNow}, {@code isDone}, logging, {@code put}/{@code offer} on an unbounded queue of
     * this file) or {@code t.join()} of a thread this method made ({@code new Thread(...)},
     * {@code factory.newThread(...)}) and never started; or the block reads the worker's own result
     * with {@code get()} in {@code done()} of a {@code SwingWorker} or {@code FutureTask}, which runs
     * after the work completed, and calls nothing else that waits.
     */
    private static boolean cannotBeInterrupted(Analysis a, com.sun.source.tree.CompilationUnitTree unit,
                                               TreePath catchPath) {
        if (!(catchPath.getParentPath().getLeaf() instanceof com.sun.source.tree.TryTree tt)) {
            return false;
        }
        MethodTree method = null;
        for (TreePath p = catchPath; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof MethodTree mt) {
                method = mt;
                break;
            }
            if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
                break;
            }
        }
        MethodTree m = method;
        boolean finished = m != null && m.getName().contentEquals("done") && m.getParameters().isEmpty()
                && completionCallback(catchPath);
        boolean[] ok = {true};
        int[] waits = {0};
        new OwnCode() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                String n = Analysis.methodName(node);
                ExpressionTree r = Analysis.receiverOf(node);
                if (n != null && NEVER_WAITS.contains(n)) {
                    waits[0]++;
                } else if (finished && "get".equals(n) && node.getArguments().isEmpty()
                        && (r == null || Analysis.isThis(r))) {
                    waits[0]++; // the worker's own result, read in done(): the work is complete
                } else if (("put".equals(n) || "offer".equals(n)) && node.getArguments().size() == 1 && r != null
                        && a.unboundedQueue(r)) {
                    waits[0]++; // an unbounded queue is never full
                } else if ((r == null || Analysis.isThis(r)) && passesFalseToItsInterruptibleFlag(unit, node)) {
                    waits[0]++; // the helper's own catch keeps the interrupt when told not to throw it
                } else if (finished && n != null && !WAITS.contains(n) && !"get".equals(n)) {
                    // done() runs once the work is complete; its other calls update the display
                } else if ("join".equals(n) && node.getArguments().isEmpty() && r != null
                        && Analysis.strip(r) instanceof IdentifierTree id && m != null
                        && neverStarted(m, id.getName().toString())) {
                    waits[0]++;
                } else if (n == null || !LOGGING.contains(n)) {
                    ok[0] = false;
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitNewClass(com.sun.source.tree.NewClassTree node, Void unused) {
                ok[0] = false;
                return null;
            }

        }.scan(tt.getBlock(), null);
        return ok[0] && waits[0] > 0;
    }

    /**
     * {@code await0(timeout, false)}: a call of the one method of this file with that name and arity
     * that passes the literal {@code false} for a {@code boolean} parameter {@code p} under which the
     * method cannot throw {@code InterruptedException}: every {@code throw} of a caught exception (or
     * of a new {@code InterruptedException}) in its body is in the then-branch of {@code if (p)}, and
     * each call in it that waits sits in a {@code try} of the method that catches the interrupt. The
     * interruptible/uninterruptible helper idiom (MINA's and Netty's {@code await0(.., interruptable)}):
     * the caller's catch is unreachable, it is there for the signature (ADR 0125). Where such a helper
     * keeps the interrupt, its own catch is judged there.
     */
    private static boolean passesFalseToItsInterruptibleFlag(com.sun.source.tree.CompilationUnitTree unit,
                                                             MethodInvocationTree call) {
        String name = Analysis.methodName(call);
        if (unit == null || name == null) {
            return false;
        }
        int arity = call.getArguments().size();
        List<MethodTree> decls = new java.util.ArrayList<>();
        java.util.Set<String> throwingHelpers = new java.util.HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethod(MethodTree node, Void unused) {
                if (node.getName().contentEquals(name) && node.getParameters().size() == arity) {
                    decls.add(node);
                }
                for (ExpressionTree t : node.getThrows()) {
                    String x = Analysis.simple(t.toString());
                    if (x.equals("InterruptedException") || x.equals("Exception") || x.equals("Throwable")) {
                        throwingHelpers.add(node.getName().toString());
                    }
                }
                return super.visitMethod(node, unused);
            }
        }.scan(unit, null);
        if (decls.size() != 1 || decls.get(0).getBody() == null) {
            return false;
        }
        MethodTree m = decls.get(0);
        for (int i = 0; i < arity; i++) {
            com.sun.source.tree.VariableTree param = m.getParameters().get(i);
            if (param.getType().toString().equals("boolean")
                    && Analysis.strip(call.getArguments().get(i)) instanceof LiteralTree lt
                    && Boolean.FALSE.equals(lt.getValue())
                    && cannotThrowInterrupt(unit, m, param.getName().toString(), throwingHelpers)) {
                return true;
            }
        }
        return false;
    }

    /** Whether nothing in {@code m}'s own body lets an {@code InterruptedException} out while {@code flag} is false. */
    private static boolean cannotThrowInterrupt(com.sun.source.tree.CompilationUnitTree unit, MethodTree m, String flag,
                                                java.util.Set<String> throwingHelpers) {
        TreePath body = TreePath.getPath(unit, m.getBody());
        if (body == null) {
            return false;
        }
        boolean[] escapes = {false};
        new com.sun.source.util.TreePathScanner<Void, Void>() {
            @Override
            public Void visitThrow(ThrowTree node, Void unused) {
                ExpressionTree e = Analysis.strip(node.getExpression());
                boolean other = e instanceof com.sun.source.tree.NewClassTree nc
                        && !isInterruptedException(nc.getIdentifier());
                if (!other && !guardedBy(getCurrentPath(), flag)) {
                    escapes[0] = true;
                }
                return super.visitThrow(node, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                String n = Analysis.methodName(node);
                ExpressionTree r = Analysis.receiverOf(node);
                boolean mayThrow = n != null && (WAITS.contains(n) || "get".equals(n) && !plainGetter(unit, r)
                        || (r == null || Analysis.isThis(r)) && throwingHelpers.contains(n));
                if (mayThrow && !caughtInside(getCurrentPath())) {
                    escapes[0] = true;
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitClass(ClassTree node, Void unused) {
                return null;
            }

            @Override
            public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
                return null;
            }
        }.scan(body, null);
        return !escapes[0];
    }

    /**
     * {@code ready.get()} on a variable this file declares with a type that is not a future, promise or
     * task ({@code AtomicBoolean}, {@code ThreadLocal}, a map): a read that never waits. A receiver this
     * file does not declare counts as a {@code Future.get()}.
     */
    private static boolean plainGetter(com.sun.source.tree.CompilationUnitTree unit, ExpressionTree r) {
        ExpressionTree x = r == null ? null : Analysis.strip(r);
        String name = x instanceof IdentifierTree id ? id.getName().toString()
                : x instanceof com.sun.source.tree.MemberSelectTree ms && Analysis.isThis(ms.getExpression())
                        ? ms.getIdentifier().toString() : null;
        if (name == null) {
            return false;
        }
        java.util.Set<String> types = new java.util.HashSet<>();
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(com.sun.source.tree.VariableTree node, Void unused) {
                if (node.getName().contentEquals(name) && node.getType() != null) {
                    types.add(Analysis.simple(node.getType().toString().replaceAll("<.*", "")));
                }
                return super.visitVariable(node, unused);
            }
        }.scan(unit, null);
        return !types.isEmpty() && types.stream().noneMatch(t -> t.contains("Future") || t.contains("Promise")
                || t.contains("Task") || t.contains("Completion") || t.equals("var"));
    }

    /** The statement at {@code path} is inside the then-branch of an {@code if (flag)} (with the flag alone as its condition). */
    private static boolean guardedBy(TreePath path, String flag) {
        for (TreePath p = path; p.getParentPath() != null; p = p.getParentPath()) {
            if (p.getParentPath().getLeaf() instanceof com.sun.source.tree.IfTree it && it.getThenStatement() == p.getLeaf()
                    && Analysis.strip(it.getCondition()) instanceof IdentifierTree id && id.getName().contentEquals(flag)) {
                return true;
            }
            if (p.getLeaf() instanceof MethodTree) {
                break;
            }
        }
        return false;
    }

    /** The call at {@code path} is in the block of a {@code try} that catches {@code InterruptedException} (or a supertype). */
    private static boolean caughtInside(TreePath path) {
        for (TreePath p = path; p.getParentPath() != null; p = p.getParentPath()) {
            if (p.getParentPath().getLeaf() instanceof com.sun.source.tree.TryTree tt && tt.getBlock() == p.getLeaf()) {
                for (CatchTree c : tt.getCatches()) {
                    Tree t = c.getParameter().getType();
                    List<? extends Tree> alts = t instanceof UnionTypeTree u ? u.getTypeAlternatives() : List.of(t);
                    for (Tree alt : alts) {
                        String x = Analysis.simple(alt.toString());
                        if (x.equals("InterruptedException") || x.equals("Exception") || x.equals("Throwable")) {
                            return true;
                        }
                    }
                }
            }
            if (p.getLeaf() instanceof MethodTree) {
                break;
            }
        }
        return false;
    }

    /** Names of the calls that wait, which keep a {@code done()} try interruptible. */
    private static final java.util.Set<String> WAITS = java.util.Set.of("sleep", "join", "await", "take", "put",
            "wait", "acquire", "invokeAll", "invokeAny", "lockInterruptibly", "awaitTermination", "poll", "tryAcquire",
            "exchange", "transfer");

    /**
     * The {@code done()} method is a completion callback: its class extends {@code SwingWorker} or
     * {@code FutureTask} (by name), so {@code done()} runs after the work finished and {@code get()}
     * returns at once.
     */
    private static boolean completionCallback(TreePath catchPath) {
        for (TreePath p = catchPath; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof ClassTree ct) {
                Tree ext = ct.getExtendsClause();
                if (ext == null && p.getParentPath() != null
                        && p.getParentPath().getLeaf() instanceof com.sun.source.tree.NewClassTree nc) {
                    ext = nc.getIdentifier(); // an anonymous class: new SwingWorker<...>() { ... }
                }
                String sup = ext == null ? "" : Analysis.simple(ext.toString().replaceAll("<.*", ""));
                return sup.equals("SwingWorker") || sup.equals("FutureTask");
            }
        }
        return false;
    }

    /**
     * {@code assertTrue(false, ...)} or {@code assertFalse(true, ...)}: an assertion of a constant
     * that always fails the test, as {@code fail(...)} does.
     */
    private static boolean failsAlways(String name, List<? extends ExpressionTree> args) {
        Boolean fails = "assertTrue".equals(name) ? Boolean.FALSE : "assertFalse".equals(name) ? Boolean.TRUE : null;
        if (fails == null) {
            return false;
        }
        for (ExpressionTree arg : args) {
            if (Analysis.strip(arg) instanceof LiteralTree lt && fails.equals(lt.getValue())) {
                return true;
            }
        }
        return false;
    }

    private static final java.util.Set<String> NEVER_WAITS = java.util.Set.of("getNow", "resultNow", "exceptionNow",
            "isDone", "isCancelled", "isCompletedExceptionally", "getName", "isDaemon", "isAlive");

    /**
     * The method declares the local {@code name} as a thread it creates and never starts: its
     * initialiser is {@code new Thread(...)} or a {@code newThread(...)} / {@code unstarted(...)}
     * call, and nothing in the method calls {@code name.start()} or lets it escape.
     */
    private static boolean neverStarted(MethodTree m, String name) {
        boolean[] created = {false};
        boolean[] escapes = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitVariable(com.sun.source.tree.VariableTree node, Void unused) {
                if (node.getName().contentEquals(name) && node.getInitializer() != null) {
                    ExpressionTree init = Analysis.strip(node.getInitializer());
                    created[0] = init instanceof com.sun.source.tree.NewClassTree nc
                            && Analysis.simple(nc.getIdentifier().toString()).equals("Thread")
                            && nc.getClassBody() == null
                            || init instanceof MethodInvocationTree mi
                            && ("newThread".equals(Analysis.methodName(mi))
                                    || "unstarted".equals(Analysis.methodName(mi)));
                }
                return super.visitVariable(node, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                ExpressionTree r = Analysis.receiverOf(node);
                String n = Analysis.methodName(node);
                boolean onIt = r != null && Analysis.strip(r) instanceof IdentifierTree id && id.getName().contentEquals(name);
                if (onIt && !"join".equals(n) && !"getName".equals(n) && !"isDaemon".equals(n)
                        && !"isAlive".equals(n) && !"setName".equals(n) && !"setDaemon".equals(n)) {
                    escapes[0] = true; // start(), or anything we do not know
                }
                if (passes(node.getArguments(), name)) {
                    escapes[0] = true; // handed to something that may start it
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree node, Void unused) {
                if (mentions(node.getExpression(), name) || names(node.getVariable(), name)) {
                    escapes[0] = true;
                }
                return super.visitAssignment(node, unused);
            }
        }.scan(m.getBody(), null);
        return created[0] && !escapes[0];
    }

    private static boolean isInterruptedException(Tree t) {
        String s = t.toString();
        return s.equals("InterruptedException") || s.equals("java.lang.InterruptedException");
    }
}
