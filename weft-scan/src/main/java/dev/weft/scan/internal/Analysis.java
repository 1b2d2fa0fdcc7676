package dev.weft.scan.internal;

import com.sun.source.tree.AnnotatedTypeTree;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ArrayTypeTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.CatchTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LineMap;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.TypeParameterTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.UnionTypeTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import dev.weft.scan.Rule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * The shared analysis of one compilation unit (ADR 0103): one pass that works out what every rule
 * needs and calls the {@link Check}s of the enabled rules at the nodes they care about.
 *
 * <p><b>Design.</b> Three questions are asked of each call: what is it (the method and its owner
 * type, resolved by attribution when javac could, else inferred from imports and declared names:
 * {@link #resolve}), is it in the catalogue, and where does it run ({@link #contextOf}: walk the
 * tree path outwards to the nearest lambda, anonymous class, method or initializer and classify
 * the API it was handed to; a method of a handler class is on the event loop only if it is the
 * handler's callback). The unit's own methods form a call graph keyed by name and arity, so that a
 * helper reached from a non-blocking lambda (directly, or through a method reference whose
 * overload is known) inherits that context; checks whose context is only "the entry of method m"
 * are parked ({@link #withContext}) until the graph is complete. Other shared facts: locks held
 * ({@link #held}), futures known to be complete ({@link #futureIsComplete}), wait helpers
 * ({@link #inWaitHelper}). Reporting applies suppressions and records what the fingerprint needs.
 * Not thread-safe: one instance per unit.
 */
final class Analysis extends TreePathScanner<Void, Void> {
    static final String CF = "java.util.concurrent.CompletableFuture";
    static final String CS = "java.util.concurrent.CompletionStage";
    static final String EXECUTOR = "java.util.concurrent.Executor";
    private static final Pattern IGNORE = Pattern.compile("//\\s*weft:\\s*ignore(?:\\[([^\\]]*)])?");

    record Var(String name, Tree type, ExpressionTree init, TreePath declaredIn) { }

    /** {@code known}: the owner type was resolved (attributed, a JDK type, declared here, or catalogued). */
    record Call(String name, int argc, List<? extends ExpressionTree> args, ExpressionTree receiver,
                        Set<String> supers, List<String> params, boolean exact, boolean known) { }

    enum Held { NONE, MONITOR, LOCK }

    private final CompilationUnitTree unit;
    final Trees trees;
    final javax.lang.model.util.Types attrTypes;
    final boolean attributed;
    final Catalogue cat;
    final TypeIndex types;
    private final Set<Rule> enabled;
    private final List<Check> checks;
    final int release;
    final boolean testFile;
    private final CharSequence source;
    private final SourcePositions positions;
    private final LineMap lineMap;
    private final List<RawFinding> out;
    private int suppressed;

    // imports and declared types
    private final String pkg;
    private final Map<String, String> singleImports = new HashMap<>();
    private final List<String> onDemand = new ArrayList<>();
    private final Map<String, String> staticImports = new HashMap<>();
    private final List<String> staticOnDemand = new ArrayList<>();
    private boolean importsMockito;
    private final Map<String, String> declaredTypes = new HashMap<>();
    private final Map<String, ClassTree> declaredTrees = new HashMap<>();
    private final Map<String, Set<String>> declaredSupers = new HashMap<>();

    // scanning state
    // variables in scope: a stack, cut back to a mark when a scope ends (lookups scan backwards)
    private final ArrayList<Var> vars = new ArrayList<>();
    private int[] marks = new int[64];
    private int depth;
    private final Deque<String> classes = new ArrayDeque<>();
    private final Map<Var, String> varTypes = new HashMap<>();
    private final Set<Var> resolving = new HashSet<>();
    private final Map<Tree, Call> callCache = new HashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final Set<String> declaredMethods = new HashSet<>();
    private final Map<String, Set<String>> edges = new HashMap<>();
    private final Map<String, Ctx> seeds = new HashMap<>();
    private final Map<String, Ctx> entry = new HashMap<>();
    /** The file's calls by callee, for WEFT303's "ends the process one call level up" (null when it is off). */
    final Tails.Calls calls;

    Analysis(CompilationUnitTree unit, Trees trees, javax.lang.model.util.Types attrTypes, Catalogue cat,
             TypeIndex types, Set<Rule> enabled, int release, boolean testFile, CharSequence source,
             List<RawFinding> out) {
        this.unit = unit;
        this.trees = trees;
        this.attrTypes = attrTypes;
        this.attributed = attrTypes != null;
        this.cat = cat;
        this.types = types;
        this.enabled = enabled;
        this.checks = Checks.enabled(enabled);
        this.calls = enabled.contains(Rule.WEFT303) ? new Tails.Calls() : null;
        this.release = release;
        this.source = source;
        this.positions = trees.getSourcePositions();
        this.lineMap = unit.getLineMap();
        this.out = out;
        this.pkg = unit.getPackageName() == null ? "" : unit.getPackageName().toString();
        boolean importsTest = false;
        for (ImportTree it : unit.getImports()) {
            String q = it.getQualifiedIdentifier().toString();
            int dot = q.lastIndexOf('.');
            if (dot < 0) {
                continue;
            }
            String head = q.substring(0, dot);
            String tail = q.substring(dot + 1);
            if (q.startsWith("org.junit") || q.startsWith("org.testng")) {
                importsTest = true;
            }
            importsMockito |= q.startsWith("org.mockito.");
            if (it.isStatic()) {
                if (tail.equals("*")) {
                    staticOnDemand.add(head);
                } else {
                    staticImports.put(tail, head);
                }
            } else if (tail.equals("*")) {
                onDemand.add(head);
            } else {
                singleImports.put(tail, q);
            }
        }
        this.testFile = testFile || importsTest;
        for (Tree t : unit.getTypeDecls()) {
            if (t instanceof ClassTree ct) {
                declare(ct, pkg.isEmpty() ? "" : pkg + ".");
            }
        }
    }

    void declare(ClassTree ct, String prefix) {
        String fqn = prefix + ct.getSimpleName();
        declaredTypes.putIfAbsent(ct.getSimpleName().toString(), fqn);
        declaredTrees.put(fqn, ct);
        for (Tree m : ct.getMembers()) {
            if (m instanceof ClassTree inner) {
                declare(inner, fqn + ".");
            }
        }
    }

    int suppressed() {
        return suppressed;
    }

    /**
     * One pass over the unit. Context-dependent checks whose context is only "the entry of method
     * m" are parked; after the pass the unit's call graph gives m its entry context (if any) and
     * the parked checks are finished.
     */
    void run() {
        scan(new TreePath(unit), null);
        propagate();
        for (Pending p : pending) {
            Ctx c = entry.get(p.method());
            if (c != null) {
                p.check().accept(c);
            }
        }
    }

    record Pending(String method, java.util.function.Consumer<Ctx> check) { }

    private final List<Pending> pending = new ArrayList<>();

    /** Runs {@code check} now if the context is known, or parks it until method entry contexts are. */
    void withContext(Ctx ctx, java.util.function.Consumer<Ctx> check) {
        if (ctx.kind() == Ctx.Kind.UNKNOWN && ctx.method() != null) {
            pending.add(new Pending(ctx.method(), check));
        } else {
            check.accept(ctx);
        }
    }

    /**
     * Gives each method of the unit the strongest context it is reached from. Methods are keyed by
     * name, arity and, where attribution gives them, parameter types ({@code await#2(long,TimeUnit)})
     * so that overloads are told apart; a call without parameter types reaches a method only when no
     * other overload shares its arity, and a reference whose arity is unknown ({@code this::getNodes}
     * without attribution, {@code #*}) only when the name has a single overload (a guess between
     * overloads is how the wrong one gets flagged).
     */
    void propagate() {
        Deque<String> work = new ArrayDeque<>();
        seeds.forEach((m, c) -> {
            List<String> targets = expand(m);
            for (String t : targets) {
                Ctx old = entry.get(t);
                Ctx nc = targets.size() > 1 ? new Ctx(c.kind(), c.why(), false, null) : c;
                if (old == null || old.kind().rank < nc.kind().rank) {
                    entry.put(t, nc);
                    work.add(t);
                }
            }
        });
        while (!work.isEmpty()) {
            String m = work.poll();
            Ctx c = entry.get(m);
            for (String key : edges.getOrDefault(m, Set.of())) {
                List<String> targets = expand(key);
                for (String callee : targets) {
                    Ctx old = entry.get(callee);
                    if (old == null || old.kind().rank < c.kind().rank) {
                        String why = c.why().contains(" via ") ? c.why()
                                : c.why() + " via " + m.substring(0, m.indexOf('#')) + "()";
                        entry.put(callee, new Ctx(c.kind(), why, c.exact() && targets.size() == 1, null));
                        work.add(callee);
                    }
                }
            }
        }
    }

    /**
     * The declared method a call key names: itself if declared with these parameter types, else the
     * only overload of this arity, else (no overload of this arity) the name's only overload, else none.
     */
    private List<String> expand(String key) {
        int paren = key.indexOf('(');
        if (paren >= 0 && declaredMethods.contains(key)) {
            return List.of(key);
        }
        String base = paren < 0 ? key : key.substring(0, paren);
        List<String> all = overloads.getOrDefault(key.substring(0, key.indexOf('#')), List.of());
        List<String> sameArity = all.stream().filter(k -> k.equals(base) || k.startsWith(base + "(")).toList();
        if (!sameArity.isEmpty()) {
            return sameArity.size() == 1 ? sameArity : List.of();
        }
        return all.size() == 1 ? all : List.of();
    }

    /** Each method name's declarations, one key per declaration (two without attribution may share a key). */
    private final Map<String, List<String>> overloads = new HashMap<>();

    private static String key(String name, int arity) {
        return name + "#" + arity;
    }

    /** The key of a declared method: name, arity and, when attribution gives them, parameter types. */
    private String declaredKey(MethodTree mt, TreePath mpath) {
        return key(mt.getName().toString(), mt.getParameters().size()) + parameterTypes(mpath);
    }

    /**
     * The parameter types of the method the path declares, calls or names, as {@code (long,TimeUnit)},
     * when attribution resolves it; else empty.
     */
    private String parameterTypes(TreePath path) {
        if (attributed) {
            try {
                if (trees.getElement(path) instanceof ExecutableElement ee) {
                    StringBuilder sb = new StringBuilder("(");
                    for (var v : ee.getParameters()) {
                        sb.append(sb.length() > 1 ? "," : "").append(v.asType());
                    }
                    return sb.append(')').toString();
                }
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
            }
        }
        return "";
    }

    // ------------------------------------------------------------------ scopes

    private void push() {
        if (depth == marks.length) {
            marks = java.util.Arrays.copyOf(marks, depth * 2);
        }
        marks[depth++] = vars.size();
    }

    private void pop() {
        int m = marks[--depth];
        for (int i = vars.size() - 1; i >= m; i--) {
            vars.remove(i);
        }
    }

    /** Visits a node whose variables go out of scope when it ends. */
    private Void scoped(java.util.function.Supplier<Void> visit) {
        push();
        try {
            return visit.get();
        } finally {
            pop();
        }
    }

    Var lookup(String name) {
        for (int i = vars.size() - 1; i >= 0; i--) {
            Var v = vars.get(i);
            if (v.name().equals(name)) {
                return v;
            }
        }
        return null;
    }

    @Override
    public Void visitCompilationUnit(CompilationUnitTree node, Void p) {
        return scoped(() -> super.visitCompilationUnit(node, p));
    }

    @Override
    public Void visitClass(ClassTree node, Void p) {
        push();
        String name = node.getSimpleName().toString();
        if (name.isEmpty()) {
            TreePath parent = getCurrentPath().getParentPath();
            String anon = null;
            if (parent.getLeaf() instanceof NewClassTree nct) {
                anon = resolveTypeTree(nct.getIdentifier());
            }
            classes.push(anon == null ? "" : anon);
        } else {
            classNames.add(name);
            String fqn = declaredTypes.containsValue(qualified(name)) ? qualified(name) : declaredTypes.getOrDefault(name, name);
            classes.push(fqn);
        }
        for (Tree m : node.getMembers()) {
            if (m instanceof VariableTree vt) {
                vars.add(new Var(vt.getName().toString(), vt.getType(), vt.getInitializer(),
                        new TreePath(getCurrentPath(), vt)));
            }
        }
        try {
            return super.visitClass(node, p);
        } finally {
            classes.pop();
            pop();
        }
    }

    String qualified(String simple) {
        String outer = classes.peek();
        if (outer != null && !outer.isEmpty()) {
            return outer + "." + simple;
        }
        return pkg.isEmpty() ? simple : pkg + "." + simple;
    }

    @Override
    public Void visitMethod(MethodTree node, Void p) {
        if (node.getBody() != null) { // an abstract method has nothing to walk: it is no overload to tell apart
            String mk = declaredKey(node, getCurrentPath());
            declaredMethods.add(mk);
            overloads.computeIfAbsent(node.getName().toString(), k -> new ArrayList<>()).add(mk);
        }
        return scoped(() -> super.visitMethod(node, p));
    }

    @Override
    public Void visitBlock(BlockTree node, Void p) {
        return scoped(() -> super.visitBlock(node, p));
    }

    @Override
    public Void visitLambdaExpression(LambdaExpressionTree node, Void p) {
        return scoped(() -> super.visitLambdaExpression(node, p));
    }

    @Override
    public Void visitForLoop(ForLoopTree node, Void p) {
        return scoped(() -> {
            loop(node, node.getStatement(), node.getCondition(), true);
            return super.visitForLoop(node, p);
        });
    }

    @Override
    public Void visitEnhancedForLoop(EnhancedForLoopTree node, Void p) {
        return scoped(() -> super.visitEnhancedForLoop(node, p));
    }

    @Override
    public Void visitTry(TryTree node, Void p) {
        return scoped(() -> super.visitTry(node, p));
    }

    @Override
    public Void visitCatch(CatchTree node, Void p) {
        return scoped(() -> {
            for (Check k : checks) {
                k.onCatch(this, node, getCurrentPath());
            }
            return super.visitCatch(node, p);
        });
    }

    @Override
    public Void visitVariable(VariableTree node, Void p) {
        if (!(getCurrentPath().getParentPath().getLeaf() instanceof ClassTree)) {
            vars.add(new Var(node.getName().toString(), node.getType(), node.getInitializer(), getCurrentPath()));
        }
        return super.visitVariable(node, p);
    }

    // ------------------------------------------------------------------ visits that check

    @Override
    public Void visitMethodInvocation(MethodInvocationTree node, Void p) {
        if (calls != null) {
            calls.record(this, getCurrentPath());
        }
        String name = methodName(node);
        ExpressionTree sel = node.getMethodSelect();
        boolean local = sel instanceof IdentifierTree
                || (sel instanceof MemberSelectTree ms && isThis(ms.getExpression()));
        if (local && name != null && !name.equals("super") && !name.equals("this")) {
            record(key(name, node.getArguments().size()) + parameterTypes(getCurrentPath()), contextOf(getCurrentPath()));
        }
        if (name != null && cat.isInteresting(name)) {
            checkCall(getCurrentPath());
        }
        return super.visitMethodInvocation(node, p);
    }

    @Override
    public Void visitNewClass(NewClassTree node, Void p) {
        if (cat.isInteresting("<init>")) {
            checkCall(getCurrentPath());
        }
        return super.visitNewClass(node, p);
    }

    @Override
    public Void visitMemberReference(MemberReferenceTree node, Void p) {
        if (calls != null) {
            calls.record(this, getCurrentPath());
        }
        {
            ExpressionTree q = node.getQualifierExpression();
            boolean local = isThis(q) || (q instanceof IdentifierTree id
                    && declaredTypes.containsKey(id.getName().toString()));
            if (local) {
                Ctx c = functionalContext(getCurrentPath());
                if (c.kind() == Ctx.Kind.INHERIT) {
                    c = contextOf(getCurrentPath());
                    if (c.kind() == Ctx.Kind.STATIC_INIT) {
                        // Comparator.comparingLong(Foo::size) in a static field: the reference is
                        // stored for later, not run while the class initializes
                        c = Ctx.UNKNOWN;
                    }
                }
                String arity = referenceArity();
                record(node.getName() + "#" + arity + (arity.equals("*") ? "" : parameterTypes(getCurrentPath())), c);
            }
        }
        if (cat.isInteresting(node.getName().toString())) {
            checkCall(getCurrentPath());
        }
        return super.visitMemberReference(node, p);
    }

    /**
     * The arity of the method a reference names, when attribution knows it; else {@code *}. A
     * reference passed to a method that did not resolve (its owner is missing from the class path,
     * as with {@code mono.flatMap(this::getNodes)} without reactor) is not trusted: javac then picks
     * an overload without a target type, and the wrong overload is how a non-blocking call gets flagged.
     */
    private String referenceArity() {
        if (attributed) {
            try {
                TreePath parent = getCurrentPath().getParentPath();
                if (parent != null && parent.getLeaf() instanceof MethodInvocationTree
                        && !(trees.getElement(parent) instanceof ExecutableElement)) {
                    return "*";
                }
                if (trees.getElement(getCurrentPath()) instanceof ExecutableElement ee) {
                    return Integer.toString(ee.getParameters().size());
                }
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
            }
        }
        return "*";
    }

    void record(String callee, Ctx c) {
        if (c.propagates()) {
            Ctx old = seeds.get(callee);
            if (old == null || old.kind().rank < c.kind().rank) {
                seeds.put(callee, c);
            }
        } else if (c.method() != null) {
            edges.computeIfAbsent(c.method(), k -> new LinkedHashSet<>()).add(callee);
        }
    }

    @Override
    public Void visitWhileLoop(WhileLoopTree node, Void p) {
        loop(node, node.getStatement(), node.getCondition(), false);
        return super.visitWhileLoop(node, p);
    }

    @Override
    public Void visitDoWhileLoop(DoWhileLoopTree node, Void p) {
        loop(node, node.getStatement(), node.getCondition(), false);
        return super.visitDoWhileLoop(node, p);
    }

    // ------------------------------------------------------------------ call resolution

    static String methodName(MethodInvocationTree mit) {
        ExpressionTree sel = mit.getMethodSelect();
        if (sel instanceof MemberSelectTree ms) {
            return ms.getIdentifier().toString();
        }
        if (sel instanceof IdentifierTree id) {
            return id.getName().toString();
        }
        return null;
    }

    static boolean isThis(ExpressionTree e) {
        return e instanceof IdentifierTree id && id.getName().contentEquals("this");
    }

    Call resolve(TreePath path) {
        Tree leaf = path.getLeaf();
        Call c = callCache.get(leaf);
        if (c == null) {
            c = attributed ? resolveAttributed(path) : null;
            if (c == null) {
                c = resolveSyntactic(leaf);
            }
            if (c != null) {
                callCache.put(leaf, c);
            }
        }
        return c;
    }

    Call resolveAttributed(TreePath path) {
        Tree leaf = path.getLeaf();
        Element e;
        try {
            e = trees.getElement(path);
        } catch (RuntimeException | Error ex) {
            rethrowIfFatal(ex);
            return null; // javac's lazy attribution can trip over code it could not enter: fall back
        }
        if (!(e instanceof ExecutableElement ee) || ee.asType().getKind() == TypeKind.ERROR
                || !(ee.getEnclosingElement() instanceof TypeElement owner)) {
            return null;
        }
        String name = ee.getKind() == ElementKind.CONSTRUCTOR ? "<init>" : ee.getSimpleName().toString();
        ExpressionTree receiver = null;
        List<? extends ExpressionTree> args;
        Set<String> supers = types.supertypes(owner);
        if (leaf instanceof MethodInvocationTree mit) {
            args = mit.getArguments();
            if (mit.getMethodSelect() instanceof MemberSelectTree ms) {
                receiver = ms.getExpression();
                TypeMirror rt = typeOf(new TreePath(new TreePath(path, ms), receiver));
                if (rt != null && rt.getKind() == TypeKind.DECLARED
                        && ((DeclaredType) rt).asElement() instanceof TypeElement rte) {
                    supers = types.supertypes(rte);
                }
            }
        } else if (leaf instanceof NewClassTree nct) {
            args = nct.getArguments();
        } else if (leaf instanceof MemberReferenceTree mr) {
            args = List.of();
            receiver = mr.getQualifierExpression();
        } else {
            return null;
        }
        List<String> params = new ArrayList<>(ee.getParameters().size());
        for (VariableElement v : ee.getParameters()) {
            TypeMirror t = attrTypes.erasure(v.asType());
            params.add(t.getKind() == TypeKind.DECLARED ? TypeIndex.nameOf(t) : t.toString());
        }
        int argc = leaf instanceof MemberReferenceTree ? params.size() : args.size();
        return new Call(name, argc, args, receiver, supers, params, true, true);
    }

    /** javac signals trouble in lazy completion with assertion errors and its own Abort (an Error). */
    static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError v) {
            throw v;
        }
    }

    TypeMirror typeOf(TreePath p) {
        try {
            TypeMirror t = trees.getTypeMirror(p);
            return t == null || t.getKind() == TypeKind.ERROR ? null : t;
        } catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            return null;
        }
    }

    /** Resolution from imports, declarations and the JDK's class files only. */
    Call resolveSyntactic(Tree leaf) {
        String owner;
        String name;
        ExpressionTree receiver = null;
        List<? extends ExpressionTree> args;
        int argc;
        if (leaf instanceof MethodInvocationTree mit) {
            args = mit.getArguments();
            argc = args.size();
            ExpressionTree sel = mit.getMethodSelect();
            if (sel instanceof MemberSelectTree ms) {
                name = ms.getIdentifier().toString();
                receiver = ms.getExpression();
                owner = inferType(receiver);
            } else if (sel instanceof IdentifierTree id) {
                name = id.getName().toString();
                owner = unqualifiedOwner(name);
            } else {
                return null;
            }
        } else if (leaf instanceof NewClassTree nct) {
            name = "<init>";
            args = nct.getArguments();
            argc = args.size();
            owner = resolveTypeTree(nct.getIdentifier());
        } else if (leaf instanceof MemberReferenceTree mr) {
            name = mr.getName().toString();
            args = List.of();
            argc = -1;
            receiver = mr.getQualifierExpression();
            owner = inferType(receiver);
        } else {
            return null;
        }
        boolean known = owner != null && !owner.isEmpty()
                && (declaredTrees.containsKey(owner) || cat.isKnownType(owner) || types.exists(owner));
        return new Call(name, argc, args, receiver, supersOf(owner), null, false, known);
    }

    /** The owner of an unqualified call {@code name(..)}: its static import, else the enclosing class. */
    /** The class the visit is in (qualified name; empty for an anonymous class), or null at the top. */
    String enclosingClass() {
        return classes.peek();
    }

    String unqualifiedOwner(String name) {
        String owner = staticImports.get(name);
        if (owner == null) {
            owner = staticOnDemandOwner(name);
        }
        return owner != null ? owner : classes.peek();
    }

    String staticOnDemandOwner(String member) {
        for (String o : staticOnDemand) {
            TypeElement te = types.type(o);
            if (te != null) {
                for (Element e : te.getEnclosedElements()) {
                    if (e.getSimpleName().contentEquals(member)) {
                        return o;
                    }
                }
            }
        }
        return null;
    }

    Set<String> supersOf(String fqn) {
        if (fqn == null || fqn.isEmpty()) {
            return types.supertypes((String) null);
        }
        ClassTree ct = declaredTrees.get(fqn);
        if (ct == null) {
            return types.supertypes(fqn);
        }
        Set<String> s = declaredSupers.get(fqn);
        if (s == null) {
            declaredSupers.put(fqn, TypeIndex.selfAndObject(fqn));
            Set<String> acc = new HashSet<>();
            acc.add(fqn);
            acc.add("java.lang.Object");
            addDeclaredSupers(ct, acc);
            s = Set.copyOf(acc);
            declaredSupers.put(fqn, s);
        }
        return s;
    }

    /** Adds the supertypes of what {@code ct} extends and implements, resolved from its source. */
    private void addDeclaredSupers(ClassTree ct, Set<String> acc) {
        if (ct.getExtendsClause() != null) {
            acc.addAll(supersOf(resolveTypeTree(ct.getExtendsClause())));
        }
        for (Tree i : ct.getImplementsClause()) {
            acc.addAll(supersOf(resolveTypeTree(i)));
        }
    }

    /** Infers the qualified type of an expression without attribution; null if unknown. */
    String inferType(ExpressionTree e) {
        return inferType(e, 0);
    }

    String inferType(ExpressionTree e, int depth) {
        if (e == null || depth > 8) {
            return null;
        }
        switch (e) {
            case ParenthesizedTree pt -> {
                return inferType(pt.getExpression(), depth + 1);
            }
            case TypeCastTree tc -> {
                return resolveTypeTree(tc.getType());
            }
            case IdentifierTree id -> {
                String n = id.getName().toString();
                if (n.equals("this")) {
                    return classes.peek();
                }
                if (n.equals("super")) {
                    ClassTree ct = declaredTrees.get(classes.peek());
                    return ct != null && ct.getExtendsClause() != null ? resolveTypeTree(ct.getExtendsClause()) : null;
                }
                Var v = lookup(n);
                if (v != null) {
                    return varType(v, depth);
                }
                String so = staticImports.get(n);
                if (so != null) {
                    return types.fieldType(so, n);
                }
                if (!n.isEmpty() && Character.isUpperCase(n.charAt(0))) {
                    return resolveSimpleType(n);
                }
                String sod = staticOnDemandOwner(n);
                return sod == null ? null : types.fieldType(sod, n);
            }
            case MemberSelectTree ms -> {
                String q = ms.getIdentifier().toString();
                if (q.equals("class")) {
                    return "java.lang.Class";
                }
                if (isThis(ms.getExpression())) {
                    Var v = lookup(q);
                    return v == null ? null : varType(v, depth);
                }
                String dotted = dotted(ms);
                if (dotted != null && Character.isLowerCase(dotted.charAt(0))
                        && Character.isUpperCase(q.charAt(0)) && !dottedStartsWithVar(dotted)) {
                    return dotted;
                }
                String base = inferType(ms.getExpression(), depth + 1);
                if (base == null) {
                    return null;
                }
                String f = types.fieldType(base, q);
                if (f != null) {
                    return f;
                }
                if (Character.isUpperCase(q.charAt(0)) && types.exists(base + "." + q)) {
                    return base + "." + q;
                }
                return null;
            }
            case MethodInvocationTree mit -> {
                String name = methodName(mit);
                if (name == null) {
                    return null;
                }
                String owner;
                if (mit.getMethodSelect() instanceof MemberSelectTree ms) {
                    owner = inferType(ms.getExpression(), depth + 1);
                } else {
                    owner = unqualifiedOwner(name);
                }
                if (owner == null) {
                    return null;
                }
                ClassTree declared = declaredTrees.get(owner);
                if (declared != null) {
                    return declaredReturnType(declared, name, mit.getArguments().size());
                }
                String rt = types.returnType(owner, name, mit.getArguments().size());
                return rt != null ? rt : cat.returnType(name, supersOf(owner));
            }
            case NewClassTree nct -> {
                return resolveTypeTree(nct.getIdentifier());
            }
            case LiteralTree lt -> {
                return lt.getValue() instanceof String ? "java.lang.String" : null;
            }
            case ConditionalExpressionTree ce -> {
                return inferType(ce.getTrueExpression(), depth + 1);
            }
            default -> {
                return null;
            }
        }
    }

    /** The return type of a method declared in this unit, if exactly one overload has this arity. */
    String declaredReturnType(ClassTree ct, String name, int arity) {
        Tree found = null;
        for (Tree m : ct.getMembers()) {
            if (m instanceof MethodTree mt && mt.getName().contentEquals(name) && mt.getParameters().size() == arity) {
                if (found != null) {
                    return null;
                }
                found = mt.getReturnType();
            }
        }
        return found == null ? null : resolveTypeTree(found);
    }

    boolean dottedStartsWithVar(String dotted) {
        int dot = dotted.indexOf('.');
        return lookup(dot < 0 ? dotted : dotted.substring(0, dot)) != null;
    }

    String varType(Var v, int depth) {
        String cached = varTypes.get(v);
        if (cached != null) {
            return cached.isEmpty() ? null : cached;
        }
        if (!resolving.add(v)) {
            return null;
        }
        try {
            String t;
            Tree type = v.type();
            if (type == null && v.init() == null) {
                t = lambdaElementType(v);
            } else if (type == null || (type instanceof IdentifierTree id && id.getName().contentEquals("var"))) {
                t = inferType(v.init(), depth + 1);
            } else {
                t = resolveTypeTree(type);
            }
            varTypes.put(v, t == null ? "" : t);
            return t;
        } finally {
            resolving.remove(v);
        }
    }

    static final Set<String> ELEMENT_PRESERVING = Set.of("stream", "parallelStream", "parallel",
            "sequential", "filter", "sorted", "distinct", "peek", "limit", "skip", "unordered");

    /**
     * The type of an untyped lambda parameter in {@code xs.stream().filter(..).forEach(x -> ..)}:
     * the element type of the collection variable at the root of an element-preserving chain.
     */
    String lambdaElementType(Var v) {
        TreePath lp = v.declaredIn() == null ? null : v.declaredIn().getParentPath();
        if (lp == null || !(lp.getLeaf() instanceof LambdaExpressionTree lambda) || lambda.getParameters().size() != 1
                || lp.getParentPath() == null || !(lp.getParentPath().getLeaf() instanceof MethodInvocationTree call)) {
            return null;
        }
        ExpressionTree r = receiverOf(call);
        while (r instanceof MethodInvocationTree inner && ELEMENT_PRESERVING.contains(methodName(inner))) {
            r = receiverOf(inner);
        }
        if (!(r instanceof IdentifierTree id)) {
            return null;
        }
        Var coll = lookup(id.getName().toString());
        if (coll == null || !(coll.type() instanceof ParameterizedTypeTree pt) || pt.getTypeArguments().size() != 1) {
            return null;
        }
        String base = resolveTypeTree(pt.getType());
        Set<String> supers = supersOf(base);
        if (!supers.contains("java.lang.Iterable") && !supers.contains("java.util.stream.BaseStream")) {
            return null;
        }
        return resolveTypeTree(pt.getTypeArguments().get(0));
    }

    static String dotted(ExpressionTree e) {
        if (e instanceof IdentifierTree id) {
            return id.getName().toString();
        }
        if (e instanceof MemberSelectTree ms) {
            String left = dotted(ms.getExpression());
            return left == null ? null : left + "." + ms.getIdentifier();
        }
        return null;
    }

    String resolveTypeTree(Tree t) {
        switch (t) {
            case null -> {
                return null;
            }
            case ParameterizedTypeTree pt -> {
                return resolveTypeTree(pt.getType());
            }
            case AnnotatedTypeTree at -> {
                return resolveTypeTree(at.getUnderlyingType());
            }
            case IdentifierTree id -> {
                return resolveSimpleType(id.getName().toString());
            }
            case MemberSelectTree ms -> {
                String d = dotted(ms);
                if (d == null) {
                    return null;
                }
                int dot = d.indexOf('.');
                String first = d.substring(0, dot);
                if (Character.isUpperCase(first.charAt(0))) {
                    String r = resolveSimpleType(first);
                    return r == null ? null : r + d.substring(dot);
                }
                return d;
            }
            case ArrayTypeTree ignored -> {
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    String resolveSimpleType(String n) {
        if (n.equals("var")) {
            return null;
        }
        String d = declaredTypes.get(n);
        if (d != null) {
            return d;
        }
        String s = singleImports.get(n);
        if (s != null) {
            return s;
        }
        if (types.packageHas("java.lang", n)) {
            return "java.lang." + n;
        }
        for (String p : onDemand) {
            String c = p + "." + n;
            if (cat.isKnownType(c) || types.packageHas(p, n)) {
                return c;
            }
        }
        return pkg.isEmpty() ? n : pkg + "." + n;
    }

    // ------------------------------------------------------------------ contexts

    /** Where the code at {@code path} runs. */
    Ctx contextOf(TreePath path) {
        Tree child = path.getLeaf();
        TreePath cur = path.getParentPath();
        while (cur != null) {
            Tree t = cur.getLeaf();
            TreePath parent = cur.getParentPath();
            Tree parentLeaf = parent == null ? null : parent.getLeaf();
            if (t instanceof LambdaExpressionTree) {
                Ctx c = functionalContext(cur);
                if (c.kind() != Ctx.Kind.INHERIT) {
                    return c;
                }
            } else if (t instanceof ClassTree) {
                return Ctx.UNKNOWN;
            } else if (t instanceof MethodTree mt) {
                return methodEntry(mt, cur);
            } else if (t instanceof BlockTree b && b.isStatic() && parentLeaf instanceof ClassTree) {
                return Ctx.of(Ctx.Kind.STATIC_INIT, "static initializer", true);
            } else if (t instanceof VariableTree vt && parentLeaf instanceof ClassTree && child == vt.getInitializer()) {
                if (vt.getModifiers().getFlags().contains(Modifier.STATIC)) {
                    return Ctx.of(Ctx.Kind.STATIC_INIT, "static field initializer", true);
                }
                return Ctx.UNKNOWN;
            }
            child = t;
            cur = parent;
        }
        return Ctx.UNKNOWN;
    }

    Ctx methodEntry(MethodTree mt, TreePath mpath) {
        for (AnnotationTree a : mt.getModifiers().getAnnotations()) {
            if (cat.isNonBlockingAnnotation(a.getAnnotationType().toString())) {
                return Ctx.of(Ctx.Kind.NONBLOCKING, "method annotated @" + simple(a.getAnnotationType().toString()), true);
            }
        }
        TreePath classPath = mpath.getParentPath();
        String methodName = mt.getName().toString();
        if (classPath != null && classPath.getLeaf() instanceof ClassTree ct) {
            boolean isStatic = mt.getModifiers().getFlags().contains(Modifier.STATIC);
            if (!isStatic && !methodName.equals("<init>")) {
                Ctx h = handlerContext(ct, classPath, methodName);
                if (h != null) {
                    return h;
                }
            }
            TreePath outer = classPath.getParentPath();
            if (outer != null && outer.getLeaf() instanceof NewClassTree nct && nct.getClassBody() == ct) {
                // Unlike a lambda, an anonymous class handed to an API the catalogue does not know is
                // usually stored (a hook, an accessor, a listener), not run on the spot: unknown.
                Ctx c = functionalContext(outer);
                return c.kind() == Ctx.Kind.INHERIT ? Ctx.UNKNOWN : c;
            }
        }
        String mk = declaredKey(mt, mpath);
        Ctx e = entry.get(mk);
        if (e != null) {
            return e;
        }
        return new Ctx(Ctx.Kind.UNKNOWN, "", true, mk);
    }

    /**
     * The event-loop context of a handler callback ({@code handle} of a {@code Handler}, {@code start}
     * of a verticle...), or null. High confidence only when attribution saw the handler among the
     * class's supertypes; a verticle in a unit that deploys workers or virtual-thread verticles may
     * be one of them, so it is not assumed to be on the event loop.
     */
    private Ctx handlerContext(ClassTree ct, TreePath classPath, String method) {
        Set<String> supers = new HashSet<>();
        addDeclaredSupers(ct, supers);
        TreePath outer = classPath.getParentPath();
        if (outer != null && outer.getLeaf() instanceof NewClassTree nct && nct.getClassBody() == ct) {
            supers.addAll(supersOf(resolveTypeTree(nct.getIdentifier())));
        }
        Set<String> attributedSupers = Set.of();
        if (attributed) {
            try {
                if (trees.getElement(classPath) instanceof TypeElement te) {
                    attributedSupers = types.supertypes(te);
                    supers.addAll(attributedSupers);
                }
            } catch (RuntimeException | Error e) {
                rethrowIfFatal(e); // else keep the syntactic supertypes
            }
        }
        String handler = cat.handlerType(supers, method);
        if (handler == null || (handler.endsWith("Verticle") && deploysOffEventLoop())) {
            return null;
        }
        return Ctx.of(Ctx.Kind.NONBLOCKING, "method of " + simple(handler) + " subclass runs on the event loop",
                attributedSupers.contains(handler));
    }

    private Boolean offEventLoop;

    /** Whether this unit deploys worker or virtual-thread verticles (vert.x ThreadingModel, setWorker). */
    private boolean deploysOffEventLoop() {
        if (offEventLoop == null) {
            String text = source.toString();
            offEventLoop = text.contains("ThreadingModel.WORKER") || text.contains("ThreadingModel.VIRTUAL_THREAD")
                    || text.contains("setWorker(true)") || text.contains("setThreadingModel(");
        }
        return offEventLoop;
    }

    /** Where a lambda, method reference or anonymous class runs, judged by what it is handed to. */
    Ctx functionalContext(TreePath fnPath) {
        Tree child = fnPath.getLeaf();
        TreePath p = fnPath.getParentPath();
        while (p != null && (p.getLeaf() instanceof ParenthesizedTree || p.getLeaf() instanceof TypeCastTree)) {
            child = p.getLeaf();
            p = p.getParentPath();
        }
        if (p == null) {
            return Ctx.UNKNOWN;
        }
        Tree parent = p.getLeaf();
        if (parent instanceof MethodInvocationTree mit && containsArg(mit.getArguments(), child)) {
            Call c = resolve(p);
            if (c == null) {
                return Ctx.INHERIT;
            }
            if (!c.known() && cat.offloadByName(c.name())) {
                return Ctx.of(Ctx.Kind.OFFLOAD, "offloaded by " + c.name() + " (matched on its name)", false);
            }
            if (!c.known() && cat.isExplicitContextName(c.name())) {
                unsure(unresolvedOwnerName(p)); // e.g. foo().thenApply(...): attribution would know where this runs
            }
            Catalogue.ContextApi api = cat.context(c.name(), c.args().size(), c.supers());
            if (api != null) {
                String where = simple(api.owner()) + "." + c.name();
                switch (api.kind()) {
                    case NONBLOCKING -> {
                        return Ctx.of(Ctx.Kind.NONBLOCKING, "passed to " + where + ", which runs it on a thread that must not block", c.exact());
                    }
                    case VIRTUAL -> {
                        return Ctx.of(Ctx.Kind.VIRTUAL, "passed to " + where, c.exact());
                    }
                    case OFFLOAD -> {
                        return Ctx.of(Ctx.Kind.OFFLOAD, "offloaded by " + where, c.exact());
                    }
                    case PLATFORM -> {
                        return Ctx.of(Ctx.Kind.PLATFORM_THREAD, "passed to " + where, c.exact());
                    }
                    case ASYNC -> {
                        ExpressionTree ex = executorArgument(c);
                        if (ex == null) {
                            return Ctx.of(Ctx.Kind.NONBLOCKING, "passed to " + where
                                    + " without an executor (runs on the common ForkJoinPool)", c.exact());
                        }
                        return executorContext(ex, where, c.exact());
                    }
                    case EXECUTOR -> {
                        return c.receiver() == null ? Ctx.UNKNOWN : executorContext(c.receiver(), where, c.exact());
                    }
                    case REACTIVE -> {
                        if (reactiveOffloaded(p)) {
                            return Ctx.of(Ctx.Kind.OFFLOAD, "reactive chain subscribes on a blocking-friendly scheduler", c.exact());
                        }
                        return Ctx.of(Ctx.Kind.NONBLOCKING, "passed to the reactive operator " + where, c.exact());
                    }
                    default -> {
                        return Ctx.INHERIT;
                    }
                }
            }
            if (isParallelStreamOp(mit, c)) {
                return Ctx.of(Ctx.Kind.NONBLOCKING, "passed to a parallel stream operation (common ForkJoinPool)", c.exact());
            }
            return Ctx.INHERIT;
        }
        if (parent instanceof NewClassTree nct && containsArg(nct.getArguments(), child)) {
            Call c = resolve(p);
            if (c != null) {
                Catalogue.ContextApi api = cat.context("<init>", c.args().size(), c.supers());
                if (api != null && api.kind() == Catalogue.ContextKind.PLATFORM) {
                    return Ctx.of(Ctx.Kind.PLATFORM_THREAD, "runs on its own platform thread", c.exact());
                }
            }
            return Ctx.INHERIT;
        }
        return Ctx.UNKNOWN;
    }

    static boolean containsArg(List<? extends ExpressionTree> args, Tree t) {
        for (ExpressionTree a : args) {
            if (a == t) {
                return true;
            }
        }
        return false;
    }

    Ctx executorContext(ExpressionTree ex, String where, boolean exact) {
        Ctx.Kind k = classifyExecutor(ex, 0);
        return switch (k) {
            case VIRTUAL -> Ctx.of(Ctx.Kind.VIRTUAL, "submitted to a virtual-thread executor via " + where, exact);
            case PLATFORM_POOL -> Ctx.of(Ctx.Kind.PLATFORM_POOL, "submitted to a pool of platform threads via " + where, exact);
            case NONBLOCKING -> Ctx.of(Ctx.Kind.NONBLOCKING, "submitted to the common ForkJoinPool via " + where, exact);
            case PLATFORM_THREAD -> Ctx.of(Ctx.Kind.PLATFORM_THREAD, "a platform thread per task via " + where, exact);
            default -> Ctx.UNKNOWN;
        };
    }

    /** The Executor argument of a CompletableFuture-style call, or null if it has none. */
    ExpressionTree executorArgument(Call c) {
        List<? extends ExpressionTree> args = c.args();
        if (args.isEmpty()) {
            return null;
        }
        ExpressionTree last = args.get(args.size() - 1);
        if (c.params() != null) {
            String t = c.params().isEmpty() ? null : c.params().get(c.params().size() - 1);
            return EXECUTOR.equals(t) || (t != null && supersOf(t).contains(EXECUTOR)) ? last : null;
        }
        String owner = c.supers().contains(CF) ? CF : c.supers().contains(CS) ? CS : null;
        if (owner != null) {
            Boolean b = types.lastParamIsExecutor(owner, c.name(), args.size());
            if (b != null) {
                return b ? last : null;
            }
        }
        String t = inferType(last);
        return t != null && supersOf(t).contains(EXECUTOR) ? last : null;
    }

    Ctx.Kind classifyExecutor(ExpressionTree e, int depth) {
        e = strip(e);
        if (depth > 4 || e == null) {
            return Ctx.Kind.UNKNOWN;
        }
        Var v = variable(e);
        if (v != null) {
            return v.init() == null ? Ctx.Kind.UNKNOWN : classifyExecutor(v.init(), depth + 1);
        }
        if (e instanceof MethodInvocationTree || e instanceof NewClassTree) {
            Call c = resolveSyntactic(e);
            if (c == null) {
                return Ctx.Kind.UNKNOWN;
            }
            if (c.name().equals("newThreadPerTaskExecutor") && c.supers().contains("java.util.concurrent.Executors")
                    && !c.args().isEmpty()) {
                return isVirtualFactory(c.args().get(0), 0) ? Ctx.Kind.VIRTUAL : Ctx.Kind.PLATFORM_THREAD;
            }
            Catalogue.ExecutorFactory f = cat.executor(c.name(), c.supers());
            if (f == null) {
                return Ctx.Kind.UNKNOWN;
            }
            return switch (f.kind()) {
                case VIRTUAL -> Ctx.Kind.VIRTUAL;
                case COMMON -> Ctx.Kind.NONBLOCKING;
                case PLATFORM -> anyVirtualFactory(c.args()) ? Ctx.Kind.VIRTUAL : Ctx.Kind.PLATFORM_POOL;
            };
        }
        return Ctx.Kind.UNKNOWN;
    }

    /** The variable in scope that {@code name} or {@code this.name} refers to, or null. */
    private Var variable(ExpressionTree e) {
        if (e instanceof IdentifierTree id) {
            return lookup(id.getName().toString());
        }
        if (e instanceof MemberSelectTree ms && isThis(ms.getExpression())) {
            return lookup(ms.getIdentifier().toString());
        }
        return null;
    }

    static ExpressionTree strip(ExpressionTree e) {
        while (e instanceof ParenthesizedTree pt) {
            e = pt.getExpression();
        }
        return e;
    }

    boolean anyVirtualFactory(List<? extends ExpressionTree> args) {
        for (ExpressionTree a : args) {
            if (isVirtualFactory(a, 0)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an expression builds (or names a variable built from) {@code Thread.ofVirtual()}. */
    boolean isVirtualFactory(ExpressionTree e, int depth) {
        e = strip(e);
        if (depth > 4 || e == null) {
            return false;
        }
        Var v = variable(e);
        if (v != null) {
            return v.init() != null && isVirtualFactory(v.init(), depth + 1);
        }
        return e instanceof MethodInvocationTree && callsNamed(e, "ofVirtual");
    }

    static boolean callsNamed(Tree t, String... names) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                String n = methodName(node);
                for (String want : names) {
                    if (want.equals(n)) {
                        found[0] = true;
                    }
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitLambdaExpression(LambdaExpressionTree node, Void unused) {
                return null;
            }
        }.scan(t, null);
        return found[0];
    }

    boolean isParallelStreamOp(MethodInvocationTree mit, Call c) {
        if (c.exact() && !c.supers().contains("java.util.stream.BaseStream")) {
            return false;
        }
        ExpressionTree r = receiverOf(mit);
        while (r != null) {
            r = strip(r);
            if (r instanceof MethodInvocationTree inner) {
                String n = methodName(inner);
                if ("sequential".equals(n)) {
                    return false;
                }
                if ("parallelStream".equals(n) || "parallel".equals(n)) {
                    return true;
                }
                r = receiverOf(inner);
            } else {
                return false;
            }
        }
        return false;
    }

    static ExpressionTree receiverOf(MethodInvocationTree mit) {
        return mit.getMethodSelect() instanceof MemberSelectTree ms ? ms.getExpression() : null;
    }

    /** Whether a reactive operator's chain subscribes (anywhere) or publishes (upstream) on an offload scheduler. */
    boolean reactiveOffloaded(TreePath opPath) {
        // downstream: walk out while this invocation is the receiver of the next one
        TreePath p = opPath;
        while (p.getParentPath() != null && p.getParentPath().getLeaf() instanceof MemberSelectTree
                && p.getParentPath().getParentPath() != null
                && p.getParentPath().getParentPath().getLeaf() instanceof MethodInvocationTree next) {
            if ("subscribeOn".equals(methodName(next)) && offloadScheduler(next)) {
                return true;
            }
            p = p.getParentPath().getParentPath();
        }
        ExpressionTree r = receiverOf((MethodInvocationTree) opPath.getLeaf());
        while (r instanceof MethodInvocationTree inner) {
            String n = methodName(inner);
            if (("subscribeOn".equals(n) || "publishOn".equals(n)) && offloadScheduler(inner)) {
                return true;
            }
            r = receiverOf(inner);
        }
        return false;
    }

    boolean offloadScheduler(MethodInvocationTree on) {
        for (ExpressionTree a : on.getArguments()) {
            ExpressionTree e = strip(a);
            if (e instanceof IdentifierTree id) {
                Var v = lookup(id.getName().toString());
                e = v == null ? null : strip(v.init());
            }
            if (e instanceof MethodInvocationTree m) {
                Call c = resolveSyntactic(m);
                if (c != null && cat.offloadScheduler(c.name(), c.supers())) {
                    return true;
                }
            }
        }
        return false;
    }

    Held held(TreePath path) {
        Tree child = path.getLeaf();
        TreePath cur = path.getParentPath();
        while (cur != null) {
            Tree t = cur.getLeaf();
            if (t instanceof SynchronizedTree st && child == st.getBlock()) {
                return Held.MONITOR;
            }
            if (t instanceof TryTree tt && child == tt.getBlock() && finallyUnlocks(tt)) {
                return Held.LOCK;
            }
            if (t instanceof MethodTree mt) {
                return mt.getModifiers().getFlags().contains(Modifier.SYNCHRONIZED) ? Held.MONITOR : Held.NONE;
            }
            if (t instanceof LambdaExpressionTree || t instanceof ClassTree) {
                return Held.NONE;
            }
            child = t;
            cur = cur.getParentPath();
        }
        return Held.NONE;
    }

    static boolean finallyUnlocks(TryTree tt) {
        BlockTree f = tt.getFinallyBlock();
        if (f == null) {
            return false;
        }
        for (StatementTree s : f.getStatements()) {
            if (s instanceof ExpressionStatementTree es && es.getExpression() instanceof MethodInvocationTree m) {
                String n = methodName(m);
                if (n != null && n.startsWith("unlock")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The name of the method the path is in (through lambdas and local classes), or null. */
    static String enclosingMethodName(TreePath path) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof MethodTree mt) {
                return mt.getName().toString();
            }
        }
        return null;
    }

    private static final Pattern WAIT_HELPER = Pattern.compile(
            "(?i)^(?:assert)?(?:wait|await|eventually|retry|poll|pause|backoff|delay|throttle|sleep).*");

    /**
     * Whether the code is in a wait-until, retry or pacing helper ({@code waitUntil}, {@code awaitCondition},
     * {@code eventually}, {@code retry}, {@code sleepQuietly}...): a sleep there is the poll interval or the
     * pace, which is what the sleep rules recommend instead of a bare sleep at the call site.
     */
    static boolean inWaitHelper(TreePath path) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof MethodTree mt) {
                for (AnnotationTree a : mt.getModifiers().getAnnotations()) {
                    if (a.getAnnotationType().toString().endsWith("Test")) {
                        return false; // a test method named waitsFor... is a test, not a helper
                    }
                }
                return WAIT_HELPER.matcher(mt.getName()).matches();
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ future state facts

    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

    private static final Set<String> FUTURE_READS = Set.of("join", "get", "getNow", "resultNow");
    private static final Set<String> COMPLETED_FACTORIES = Set.of("completedFuture", "failedFuture",
            "completedStage", "failedStage", "succeededFuture");

    /**
     * Whether a wait on a future cannot block because the future is known to be complete: it was
     * built completed ({@code completedFuture(x)}), the read is guarded by {@code f.isDone()} or
     * {@code f.getNow(null) != null} (in a test or a stream's filter), it runs in a callback of
     * {@code allOf(...)} (every input is done by then) or of a {@code thenX} stage of a chain that
     * starts from the future read, or an earlier statement of the method already joined {@code allOf(...)}.
     */
    boolean futureIsComplete(TreePath callPath) {
        Tree leaf = callPath.getLeaf();
        String name;
        ExpressionTree recv;
        if (leaf instanceof MethodInvocationTree mit && mit.getMethodSelect() instanceof MemberSelectTree ms) {
            name = ms.getIdentifier().toString();
            recv = strip(ms.getExpression());
        } else if (leaf instanceof MemberReferenceTree mr) {
            name = mr.getName().toString();
            recv = null;
        } else {
            return false;
        }
        if (!FUTURE_READS.contains(name)) {
            return false;
        }
        if (recv != null && builtCompleted(recv, 0)) {
            return true;
        }
        String recvName = recv instanceof IdentifierTree id ? id.getName().toString() : null;
        // f.toCompletableFuture().join() reads f
        String headName = recvName != null ? recvName
                : recv instanceof MethodInvocationTree tc && tc.getArguments().isEmpty()
                        && "toCompletableFuture".equals(methodName(tc)) && receiverOf(tc) != null
                        && strip(receiverOf(tc)) instanceof IdentifierTree id ? id.getName().toString() : null;
        Tree child = leaf;
        for (TreePath p = callPath.getParentPath(); p != null; p = p.getParentPath()) {
            Tree t = p.getLeaf();
            if (recvName != null && guardedDone(t, child, recvName)) {
                return true;
            }
            if (t instanceof LambdaExpressionTree lt && p.getParentPath() != null
                    && p.getParentPath().getLeaf() instanceof MethodInvocationTree outer
                    && (chainHasAllOf(outer) || recvName != null && filteredDone(lt, outer, recvName)
                    || headName != null && outer.getArguments().contains(lt) && stageOf(outer, headName))) {
                return true;
            }
            if (t instanceof BlockTree b) {
                for (StatementTree st : b.getStatements()) {
                    if (st == child) {
                        break;
                    }
                    if (st instanceof ExpressionStatementTree es && es.getExpression() instanceof MethodInvocationTree m
                            && FUTURE_READS.contains(methodName(m)) && chainHasAllOf(m)) {
                        return true;
                    }
                }
            }
            if (t instanceof MethodTree mt && recvName != null && callersPassDone(mt, recvName)) {
                return true; // a private helper every caller of which passes a future it has seen done
            }
            if (t instanceof MethodTree && p.getParentPath() != null && p.getParentPath().getParentPath() != null
                    && p.getParentPath().getParentPath().getLeaf() instanceof NewClassTree nc
                    && p.getParentPath().getParentPath().getParentPath() != null
                    && p.getParentPath().getParentPath().getParentPath().getLeaf() instanceof MethodInvocationTree outer
                    && outer.getArguments().contains(nc) && chainHasAllOf(outer)) {
                return true; // allOf(...).thenApply(new Function<>() { ... }): an anonymous callback
            }
            if (t instanceof MethodTree || t instanceof ClassTree) {
                return false;
            }
            child = t;
        }
        return false;
    }

    /**
     * Whether {@code t}, a parent of {@code child}, makes {@code name} done at {@code child}: the
     * then-branch of an {@code if} or {@code ?:} on {@code name.isDone()} (or the else-branch of its
     * negation), or a block where a guard that leaves when {@code name} is not done precedes
     * {@code child} ({@code if (!f.isDone() || ...) continue;}, or return, break, throw).
     */
    private static boolean guardedDone(Tree t, Tree child, String name) {
        if (t instanceof IfTree it && (it.getThenStatement() == child && impliesDone(it.getCondition(), name)
                || it.getElseStatement() == child && impliesNotDone(it.getCondition(), name))) {
            return true;
        }
        if (t instanceof ConditionalExpressionTree ce && (ce.getTrueExpression() == child
                && impliesDone(ce.getCondition(), name) || ce.getFalseExpression() == child
                && impliesNotDone(ce.getCondition(), name))) {
            return true;
        }
        if (t instanceof BlockTree b) {
            for (StatementTree st : b.getStatements()) {
                if (st == child) {
                    break;
                }
                if (st instanceof IfTree guard && guard.getElseStatement() == null
                        && impliesNotDone(guard.getCondition(), name) && exits(guard.getThenStatement())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code param} is a parameter of the private method {@code mt} and every call of the method
     * in this file (at least one; no method reference to it) passes there a future the caller has seen
     * done ({@code if (cf.isDone()) { ... helper(cf, r); }}: Redisson's {@code AsyncChunkProcessor}).
     */
    private boolean callersPassDone(MethodTree mt, String param) {
        int index = -1;
        for (int i = 0; i < mt.getParameters().size(); i++) {
            if (mt.getParameters().get(i).getName().contentEquals(param)) {
                index = i;
            }
        }
        if (index < 0 || !mt.getModifiers().getFlags().contains(Modifier.PRIVATE)) {
            return false;
        }
        String name = mt.getName().toString();
        int arity = mt.getParameters().size();
        int at = index;
        List<TreePath> calls = new ArrayList<>();
        boolean[] referenced = {false};
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void v) {
                if (name.equals(methodName(node)) && node.getArguments().size() == arity) {
                    calls.add(getCurrentPath());
                }
                return super.visitMethodInvocation(node, v);
            }

            @Override
            public Void visitMemberReference(MemberReferenceTree node, Void v) {
                referenced[0] |= node.getName().contentEquals(name);
                return super.visitMemberReference(node, v);
            }
        }.scan(unit, null);
        if (calls.isEmpty() || referenced[0]) {
            return false;
        }
        for (TreePath call : calls) {
            if (!(strip(((MethodInvocationTree) call.getLeaf()).getArguments().get(at)) instanceof IdentifierTree arg)) {
                return false;
            }
            boolean done = false;
            Tree child = call.getLeaf();
            for (TreePath p = call.getParentPath(); p != null && !done; p = p.getParentPath()) {
                Tree t = p.getLeaf();
                done = guardedDone(t, child, arg.getName().toString());
                if (t instanceof MethodTree || t instanceof ClassTree) {
                    break;
                }
                child = t;
            }
            if (!done) {
                return false;
            }
        }
        return true;
    }

    private boolean builtCompleted(ExpressionTree e, int depth) {
        e = strip(e);
        if (depth > 3 || e == null) {
            return false;
        }
        if (e instanceof MethodInvocationTree m) {
            return COMPLETED_FACTORIES.contains(methodName(m));
        }
        if (e instanceof IdentifierTree id) {
            Var v = lookup(id.getName().toString());
            return v != null && v.init() != null && isEffectivelyFinal(v) && builtCompleted(v.init(), depth + 1);
        }
        return false;
    }

    /** A local or a final field: its initializer is what it holds. */
    private static boolean isEffectivelyFinal(Var v) {
        return !(v.declaredIn() != null && v.declaredIn().getLeaf() instanceof VariableTree vt
                && v.declaredIn().getParentPath() != null && v.declaredIn().getParentPath().getLeaf() instanceof ClassTree
                && !vt.getModifiers().getFlags().contains(Modifier.FINAL));
    }

    /** Whether {@code cond} being true means {@code recv.isDone()}: the call itself, or one operand of an {@code &&}. */
    private static boolean impliesDone(ExpressionTree cond, String recv) {
        ExpressionTree c = strip(cond);
        if (c instanceof BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_AND) {
            return impliesDone(b.getLeftOperand(), recv) || impliesDone(b.getRightOperand(), recv);
        }
        if (c instanceof MethodInvocationTree m && m.getArguments().size() == 1
                && READY_HELPERS.contains(methodName(m))
                && strip(m.getArguments().get(0)) instanceof IdentifierTree arg && arg.getName().contentEquals(recv)) {
            return true; // a readiness helper given the future: Async.isReady(future), isDone(future)
        }
        if (c instanceof BinaryTree b && b.getKind() == Tree.Kind.NOT_EQUAL_TO) {
            // f.getNow(null) != null: the future has a (non-null) value, so it is done
            return isNull(b.getRightOperand()) && isGetNowNull(b.getLeftOperand(), recv)
                    || isNull(b.getLeftOperand()) && isGetNowNull(b.getRightOperand(), recv);
        }
        return c instanceof MethodInvocationTree m && m.getArguments().isEmpty()
                && m.getMethodSelect() instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("isDone")
                && strip(ms.getExpression()) instanceof IdentifierTree id && id.getName().contentEquals(recv);
    }

    private static boolean isNull(ExpressionTree e) {
        return strip(e).getKind() == Tree.Kind.NULL_LITERAL;
    }

    /** {@code recv.getNow(null)}. */
    private static boolean isGetNowNull(ExpressionTree e, String recv) {
        return strip(e) instanceof MethodInvocationTree m && m.getArguments().size() == 1 && isNull(m.getArguments().get(0))
                && m.getMethodSelect() instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals("getNow")
                && strip(ms.getExpression()) instanceof IdentifierTree id && id.getName().contentEquals(recv);
    }

    /** Names of helpers that, given a future, say it is complete ({@code Async.isReady(f)}). */
    private static final Set<String> READY_HELPERS = Set.of("isDone", "isReady", "isComplete", "isCompleted",
            "isCompletedNormally", "isSuccessful");

    /** Whether {@code cond} being false means {@code recv.isDone()}: {@code !recv.isDone()}, or one operand of an {@code ||}. */
    private static boolean impliesNotDone(ExpressionTree cond, String recv) {
        ExpressionTree c = strip(cond);
        if (c instanceof BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_OR) {
            return impliesNotDone(b.getLeftOperand(), recv) || impliesNotDone(b.getRightOperand(), recv);
        }
        return c instanceof UnaryTree u && u.getKind() == Tree.Kind.LOGICAL_COMPLEMENT && impliesDone(u.getExpression(), recv);
    }

    /** Whether a statement always leaves the enclosing block: continue, break, return, throw (or a block ending so). */
    private static boolean exits(StatementTree st) {
        if (st instanceof BlockTree b) {
            return !b.getStatements().isEmpty() && exits(b.getStatements().get(b.getStatements().size() - 1));
        }
        return st instanceof ContinueTree || st instanceof BreakTree || st instanceof ReturnTree || st instanceof ThrowTree;
    }

    /**
     * Whether a call chain ({@code allOf(a, b).thenApply(...)}) starts from {@code allOf(...)}, directly
     * or through a local holding it ({@code r = allOf(..); r.thenApply(...)}).
     */
    private boolean chainHasAllOf(MethodInvocationTree m) {
        return chainHasAllOf(m, 0);
    }

    private boolean chainHasAllOf(ExpressionTree m, int depth) {
        ExpressionTree r = m;
        while (r instanceof MethodInvocationTree inner) {
            if ("allOf".equals(methodName(inner))) {
                return true;
            }
            r = receiverOf(inner) == null ? null : strip(receiverOf(inner));
        }
        if (r instanceof IdentifierTree id && depth < 3) {
            Var v = lookup(id.getName().toString());
            return v != null && v.init() != null && isEffectivelyFinal(v) && chainHasAllOf(strip(v.init()), depth + 1);
        }
        return false;
    }

    /** Dependent stages that run only when the stage before them completed normally. */
    private static final Set<String> NORMAL_STAGES = Set.of("thenApply", "thenAccept", "thenRun", "thenCompose",
            "thenApplyAsync", "thenAcceptAsync", "thenRunAsync", "thenComposeAsync");

    /**
     * Whether {@code stage} is a stage of a chain of {@link #NORMAL_STAGES} that starts from the future
     * {@code head}: {@code head.thenCompose(..).thenCompose(x -> head.join())} runs after head completed normally.
     */
    private static boolean stageOf(MethodInvocationTree stage, String head) {
        ExpressionTree r = stage;
        while (r instanceof MethodInvocationTree m && NORMAL_STAGES.contains(methodName(m))) {
            r = receiverOf(m) == null ? null : strip(receiverOf(m));
        }
        return r != stage && r instanceof IdentifierTree id && id.getName().contentEquals(head);
    }

    /**
     * Whether {@code lambda}, a step of a stream whose element is its parameter {@code param}, comes
     * after a {@code filter(e -> e.isDone())} or {@code filter(e -> e.getNow(null) != null)} step:
     * {@code fs.stream().filter(e -> e.getNow(null) != null).map(e -> e.join())}.
     */
    private static boolean filteredDone(LambdaExpressionTree lambda, MethodInvocationTree step, String param) {
        if (lambda.getParameters().size() != 1 || !lambda.getParameters().get(0).getName().contentEquals(param)) {
            return false;
        }
        ExpressionTree r = receiverOf(step) == null ? null : strip(receiverOf(step));
        while (r instanceof MethodInvocationTree prev && ELEMENT_PRESERVING.contains(methodName(prev))) {
            if ("filter".equals(methodName(prev)) && prev.getArguments().size() == 1
                    && strip(prev.getArguments().get(0)) instanceof LambdaExpressionTree pred
                    && pred.getParameters().size() == 1 && pred.getBody() instanceof ExpressionTree cond
                    && impliesDone(cond, pred.getParameters().get(0).getName().toString())) {
                return true;
            }
            r = receiverOf(prev) == null ? null : strip(receiverOf(prev));
        }
        return false;
    }

    // ------------------------------------------------------------------ dispatch to the checks

    void loop(StatementTree loop, StatementTree body, ExpressionTree cond, boolean isFor) {
        if (body == null) {
            return;
        }
        Check.Loop l = new Check.Loop(loop, body, cond, isFor, getCurrentPath());
        for (Check k : checks) {
            k.onLoop(this, l);
        }
    }

    @Override
    public Void visitExpressionStatement(ExpressionStatementTree node, Void p) {
        for (Check k : checks) {
            k.onStatement(this, node, getCurrentPath());
        }
        return super.visitExpressionStatement(node, p);
    }

    void checkCall(TreePath path) {
        Call c = resolve(path);
        if (c == null) {
            return;
        }
        if (!c.known() && !uncertain) {
            noteUnresolved(path, c);
        }
        Catalogue.Blocking b = cat.blocking(c.name(), c.argc(), c.params(), c.supers(),
                i -> i < c.args().size() ? inferType(c.args().get(i)) : null);
        if (b != null && b.stdin() && !mentionsStdin(c.receiver(), 0)) {
            b = null;
        }
        if (b != null && b.category() == Catalogue.Category.DNS && !c.args().isEmpty()
                && (isIpLiteral(c.args().get(0)) || ipLiteralThroughParameter(path, c.args().get(0)))) {
            b = null; // InetAddress.getByName("127.0.0.1") parses the literal: no lookup
        }
        if (b != null && b.category() == Catalogue.Category.DNS && c.name().equals("getHostName")
                && c.receiver() != null && strip(c.receiver()) instanceof MethodInvocationTree r
                && "getLocalHost".equals(methodName(r)) && r.getArguments().isEmpty()) {
            b = null; // getLocalHost() returns an address holding its name: getHostName() looks nothing up
        }
        if (b != null && mockitoStub(path)) {
            b = null; // when(stmt.executeUpdate()).thenReturn(1): stubbing a mock runs no I/O (ADR 0124)
        }
        Check.CallSite site = new Check.CallSite(path, path.getLeaf(), c, b);
        for (Check k : checks) {
            k.onCall(this, site);
        }
    }

    /**
     * The call is Mockito stubbing or verification, not a call of the method: the one argument of
     * {@code when(..)} or BDDMockito's {@code given(..)} ({@code when(stmt.executeUpdate()).thenReturn(1)}),
     * or a call on what {@code verify(mock)} or a stubber's {@code doReturn(x).when(mock)} returns. The
     * mock records or answers it; the real (blocking) method never runs. Only in a file that imports
     * from {@code org.mockito}, for {@code when}/{@code given}/{@code verify} that are Mockito's (a
     * static import of it, or {@code Mockito.}/{@code BDDMockito.} as receiver).
     */
    private boolean mockitoStub(TreePath path) {
        if (!importsMockito || !(path.getLeaf() instanceof MethodInvocationTree call)) {
            return false;
        }
        TreePath p = path.getParentPath();
        while (p != null && p.getLeaf() instanceof ParenthesizedTree) {
            p = p.getParentPath();
        }
        if (p != null && p.getLeaf() instanceof MethodInvocationTree outer && outer.getArguments().size() == 1) {
            String n = methodName(outer);
            if (("when".equals(n) || "given".equals(n)) && mockitoOwned(outer, n)) {
                return true;
            }
        }
        ExpressionTree r = receiverOf(call) == null ? null : strip(receiverOf(call));
        if (r instanceof MethodInvocationTree rc && !rc.getArguments().isEmpty()) {
            String n = methodName(rc);
            if ("verify".equals(n) && mockitoOwned(rc, n)) {
                return true;
            }
            ExpressionTree stubber = receiverOf(rc) == null ? null : strip(receiverOf(rc));
            return "when".equals(n) && rc.getArguments().size() == 1 && stubber instanceof MethodInvocationTree st
                    && methodName(st) != null && methodName(st).matches("do[A-Z].*");
        }
        return false;
    }

    /** {@code name(..)} is Mockito's: statically imported from {@code org.mockito}, or called on {@code Mockito}/{@code BDDMockito}. */
    private boolean mockitoOwned(MethodInvocationTree m, String name) {
        ExpressionTree r = receiverOf(m);
        if (r == null) {
            String owner = staticImports.get(name);
            if (owner != null) {
                return owner.startsWith("org.mockito.");
            }
            return staticOnDemand.stream().anyMatch(o -> o.startsWith("org.mockito."));
        }
        String s = strip(r).toString();
        return s.equals("Mockito") || s.equals("BDDMockito") || s.startsWith("org.mockito.");
    }

    /** Queues that have no capacity bound when built without one. */
    private static final Set<String> UNBOUNDED = Set.of("LinkedBlockingQueue",
            "LinkedBlockingDeque", "LinkedTransferQueue", "PriorityBlockingQueue", "DelayQueue");

    /**
     * The receiver is a variable or field of this file built as an unbounded queue
     * ({@code new LinkedBlockingQueue<>()} without a capacity) and never assigned again: its
     * {@code put} and {@code offer} never wait.
     */
    boolean unboundedQueue(ExpressionTree r) {
        ExpressionTree x = strip(r);
        String name = x instanceof IdentifierTree id ? id.getName().toString()
                : x instanceof MemberSelectTree ms && isThis(ms.getExpression()) ? ms.getIdentifier().toString() : null;
        Var v = name == null ? null : lookup(name);
        if (v == null || !(v.init() != null && strip(v.init()) instanceof NewClassTree nc)
                || !nc.getArguments().isEmpty() || nc.getClassBody() != null
                || !UNBOUNDED.contains(simple(nc.getIdentifier().toString().replaceAll("<.*", "")))) {
            return false;
        }
        boolean[] assigned = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitAssignment(AssignmentTree node, Void unused) {
                ExpressionTree target = strip(node.getVariable());
                assigned[0] |= target instanceof IdentifierTree t && t.getName().contentEquals(name)
                        || target instanceof MemberSelectTree ms && ms.getIdentifier().contentEquals(name);
                return super.visitAssignment(node, unused);
            }
        }.scan(unit, null);
        return !assigned[0];
    }

    private static boolean isIpLiteral(ExpressionTree e) {
        return strip(e) instanceof LiteralTree lt && lt.getValue() instanceof String host
                && IP_LITERAL.matcher(host).matches();
    }

    /**
     * Whether {@code arg} is a parameter of the enclosing private method (never assigned there)
     * and every call of that method in this file passes an IP literal in its place: a helper such
     * as {@code private static InetAddress byName(String ip) { return InetAddress.getByName(ip); }}
     * used only as {@code byName("::")}. A private method has no caller outside its file; a method
     * reference to it (whose arguments cannot be seen) keeps the call a lookup.
     */
    private boolean ipLiteralThroughParameter(TreePath path, ExpressionTree arg) {
        if (!(strip(arg) instanceof IdentifierTree id)) {
            return false;
        }
        String name = id.getName().toString();
        MethodTree m = null;
        for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof MethodTree mt) {
                m = mt;
                break;
            }
            if (p.getLeaf() instanceof LambdaExpressionTree || p.getLeaf() instanceof ClassTree) {
                return false;
            }
        }
        if (m == null || !m.getModifiers().getFlags().contains(Modifier.PRIVATE)) {
            return false;
        }
        int index = -1;
        for (int i = 0; i < m.getParameters().size(); i++) {
            if (m.getParameters().get(i).getName().contentEquals(name)) {
                index = i;
            }
        }
        if (index < 0) {
            return false;
        }
        MethodTree method = m;
        int at = index;
        boolean[] ok = {true};
        int[] calls = {0};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitAssignment(AssignmentTree node, Void unused) {
                if (strip(node.getVariable()) instanceof IdentifierTree v && v.getName().contentEquals(name)
                        && encloses(method, node)) {
                    ok[0] = false;
                }
                return super.visitAssignment(node, unused);
            }

            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                ExpressionTree recv = receiverOf(node);
                if (method.getName().contentEquals(String.valueOf(methodName(node)))
                        && node.getArguments().size() == method.getParameters().size()
                        && (recv == null || isThis(recv))) {
                    calls[0]++;
                    ok[0] &= isIpLiteral(node.getArguments().get(at));
                }
                return super.visitMethodInvocation(node, unused);
            }

            @Override
            public Void visitMemberReference(MemberReferenceTree node, Void unused) {
                if (node.getName().contentEquals(method.getName())) {
                    ok[0] = false;
                }
                return super.visitMemberReference(node, unused);
            }

            private boolean encloses(Tree outer, Tree inner) {
                boolean[] found = {false};
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void scan(Tree t, Void u) {
                        if (t == inner) {
                            found[0] = true;
                        }
                        return found[0] ? null : super.scan(t, u);
                    }
                }.scan(outer, null);
                return found[0];
            }
        }.scan(unit, null);
        return ok[0] && calls[0] > 0;
    }

    /**
     * An interesting call whose owner did not resolve, in a place where it could matter: the unit
     * is worth attributing (see Engine: AUTO mode without a class path attributes only such units).
     */
    void noteUnresolved(TreePath path, Call c) {
        String n = c.name();
        String type = unresolvedOwnerName(path);
        if (n.endsWith("Async") || cat.isResultRequiredName(n) || (testFile && n.equals("sleep"))
                || enabled.contains(Rule.WEFT108)) {
            unsure(type);
            return;
        }
        if (held(path) != Held.NONE) {
            unsure(type);
            return;
        }
        withContext(contextOf(path), ctx -> {
            if (ctx.kind() != Ctx.Kind.UNKNOWN && ctx.kind() != Ctx.Kind.OFFLOAD
                    && ctx.kind() != Ctx.Kind.PLATFORM_THREAD) {
                unsure(type);
            }
        });
    }

    /**
     * Worth attributing; for an unresolved call on a class the source names ({@code type}, its simple
     * name), only if a file that is attributed declares a class of that name ({@link Engine}): a
     * class in a package that no module of the JDK or the class path has and that no attributed file
     * declares resolves in no attribution task, so attribution would give the name pass's answer
     * again (ADR 0113).
     */
    private void unsure(String type) {
        if (type == null) {
            uncertain = true;
        } else {
            uncertainIfDeclared.add(type);
        }
    }

    /**
     * For an unresolved call whose owner the source names: the simple name of that class (its
     * outermost one for a qualified name), or null when the owner is not named that plainly. The
     * owner is named by a constructor call's type, by a static call's class ({@code Foo.bar()}), or
     * by the declared type of the variable the call is made on ({@code Foo f; f.bar()}), unless
     * that type is a type variable in scope (javac would resolve the call on its bound).
     */
    String unresolvedOwnerName(TreePath path) {
        Tree leaf = path.getLeaf();
        Tree named;
        if (leaf instanceof NewClassTree nct) {
            named = nct.getIdentifier();
        } else if (leaf instanceof MethodInvocationTree mit && mit.getMethodSelect() instanceof MemberSelectTree ms) {
            named = switch (ms.getExpression()) {
                case NewClassTree made when made.getClassBody() == null -> made.getIdentifier(); // new Foo().bar()
                case MemberSelectTree field when isThis(field.getExpression()) -> { // this.foo.bar(), foo a field here
                    Var v = lookup(field.getIdentifier().toString());
                    yield v == null || !(v.declaredIn().getParentPath().getLeaf() instanceof ClassTree) ? null : v.type();
                }
                case IdentifierTree id -> {
                    String n = id.getName().toString();
                    Var v = lookup(n);
                    // Foo.bar(): a class name (a CONSTANT could be a field inherited from a type javac knows)
                    yield v != null ? v.type() // Foo foo; foo.bar()
                            : !n.isEmpty() && Character.isUpperCase(n.charAt(0))
                                    && !n.equals(n.toUpperCase(Locale.ROOT)) ? id : null;
                }
                default -> null;
            };
        } else {
            return null;
        }
        String type = namedTypeName(named);
        if (type == null || type.equals("var") || typeVariableInScope(path, type) || importsTypeMembers()) {
            return null;
        }
        // a name the type index has a package for may still be a type javac finds there (a nested one)
        String fqn = resolveTypeTree(named instanceof ParameterizedTypeTree pt ? pt.getType() : named);
        String pkgPart = fqn == null ? null : packagePart(fqn);
        return pkgPart == null || pkgPart.isEmpty() || types.packageInSomeModule(pkgPart) ? null : type;
    }

    /** The segments of a dotted name before its first one that starts with an upper-case letter. */
    private static String packagePart(String fqn) {
        int end = 0;
        for (String part : fqn.split("\\.")) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                return end == 0 ? "" : fqn.substring(0, end - 1);
            }
            end += part.length() + 1;
        }
        return null;
    }

    /** Whether an on-demand import names a type ({@code import a.b.Outer.*}): its member types resolve by simple name. */
    private boolean importsTypeMembers() {
        for (String p : onDemand) {
            String last = p.substring(p.lastIndexOf('.') + 1);
            if (!last.isEmpty() && Character.isUpperCase(last.charAt(0))) {
                return true;
            }
        }
        return false;
    }

    private static boolean typeVariableInScope(TreePath path, String name) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            List<? extends TypeParameterTree> tps = switch (p.getLeaf()) {
                case ClassTree ct -> ct.getTypeParameters();
                case MethodTree mt -> mt.getTypeParameters();
                default -> List.of();
            };
            for (TypeParameterTree tp : tps) {
                if (tp.getName().contentEquals(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The simple name of the class a type tree names (its outermost class for a qualified one), or null. */
    static String namedTypeName(Tree t) {
        return switch (t) {
            case ParameterizedTypeTree pt -> namedTypeName(pt.getType());
            case AnnotatedTypeTree at -> namedTypeName(at.getUnderlyingType());
            case IdentifierTree id -> id.getName().toString();
            case MemberSelectTree ms -> {
                String d = dotted(ms);
                if (d == null) {
                    yield null;
                }
                for (String part : d.split("\\.")) {
                    if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                        yield part;
                    }
                }
                yield null;
            }
            case null, default -> null;
        };
    }

    /** Whether attribution could change this unit's findings (always false once attributed). */
    boolean uncertain() {
        return uncertain || !out.isEmpty();
    }

    private boolean uncertain;
    /** Simple names of classes: the unit is worth attributing if some scanned file declares one of them. */
    final Set<String> uncertainIfDeclared = new HashSet<>();
    /** The simple name of every class the unit declares (member, local or top level). */
    final Set<String> classNames = new HashSet<>();

    static String describe(Call c, String owner) {
        String o = owner == null ? "" : simple(owner);
        if (c.name().equals("<init>")) {
            return "new " + o;
        }
        return o.isEmpty() ? c.name() : o + "." + c.name();
    }

    static String simple(String fqn) {
        // keep nested names readable: java.lang.Thread.Builder.OfVirtual -> Thread.Builder.OfVirtual
        String[] parts = fqn.split("\\.");
        int i = 0;
        while (i < parts.length - 1 && !parts[i].isEmpty() && Character.isLowerCase(parts[i].charAt(0))) {
            i++;
        }
        return String.join(".", java.util.Arrays.copyOfRange(parts, i, parts.length));
    }

    boolean mentionsStdin(ExpressionTree e, int depth) {
        if (e == null || depth > 4) {
            return false;
        }
        e = strip(e);
        if (e instanceof IdentifierTree id) {
            Var v = lookup(id.getName().toString());
            return v != null && mentionsStdin(v.init(), depth + 1);
        }
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMemberSelect(MemberSelectTree node, Void unused) {
                if (node.getIdentifier().contentEquals("in") && node.getExpression() instanceof IdentifierTree id
                        && id.getName().contentEquals("System")) {
                    found[0] = true;
                }
                return super.visitMemberSelect(node, unused);
            }
        }.scan(e, null);
        return found[0];
    }

    static boolean callsNamedContaining(Tree t, String part) {
        boolean[] found = {false};
        new TreeScanner<Void, Void>() {
            @Override
            public Void visitMethodInvocation(MethodInvocationTree node, Void unused) {
                String n = methodName(node);
                if (n != null && n.contains(part)) {
                    found[0] = true;
                }
                return super.visitMethodInvocation(node, unused);
            }
        }.scan(t, null);
        return found[0];
    }

    // ------------------------------------------------------------------ reporting and suppression

    void report(Rule rule, Tree node, TreePath path, String message, boolean exact) {
        report(rule, node, path, message, exact, null);
    }

    /**
     * Reports a finding that the engine drops if, across the module, every call of
     * {@code unlessOnlyEndsProcess} ({@code Class.method/arity}) is the last thing a process does.
     */
    void report(Rule rule, Tree node, TreePath path, String message, boolean exact, String unlessOnlyEndsProcess) {
        if (!enabled.contains(rule)) {
            return;
        }
        long pos = position(node);
        if (pos < 0) {
            return;
        }
        if (!reported.add(rule.id() + "@" + pos)) {
            return;
        }
        int line = (int) lineMap.getLineNumber(pos);
        int col = (int) lineMap.getColumnNumber(pos);
        if (suppressedByAnnotation(rule, path) || suppressedByComment(rule, line)) {
            suppressed++;
            return;
        }
        out.add(new RawFinding(rule, line, col, message, exact, enclosing(path), lineText(line),
                unlessOnlyEndsProcess));
    }

    long position(Tree node) {
        if (node instanceof MethodInvocationTree mit && mit.getMethodSelect() instanceof MemberSelectTree ms) {
            long end = positions.getEndPosition(unit, ms);
            if (end > 0) {
                return end - ms.getIdentifier().length();
            }
        }
        return positions.getStartPosition(unit, node);
    }

    boolean suppressedByAnnotation(Rule rule, TreePath path) {
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            ModifiersTree mods = switch (p.getLeaf()) {
                case MethodTree mt -> mt.getModifiers();
                case ClassTree ct -> ct.getModifiers();
                case VariableTree vt -> vt.getModifiers();
                default -> null;
            };
            if (mods == null) {
                continue;
            }
            for (AnnotationTree a : mods.getAnnotations()) {
                String an = a.getAnnotationType().toString();
                if (!an.equals("SuppressWarnings") && !an.equals("java.lang.SuppressWarnings")) {
                    continue;
                }
                for (ExpressionTree arg : a.getArguments()) {
                    ExpressionTree v = arg instanceof AssignmentTree as ? as.getExpression() : arg;
                    List<ExpressionTree> values = new ArrayList<>();
                    if (v instanceof NewArrayTree na && na.getInitializers() != null) {
                        values.addAll(na.getInitializers());
                    } else {
                        values.add(v);
                    }
                    for (ExpressionTree val : values) {
                        if (val instanceof LiteralTree lt && lt.getValue() instanceof String s
                                && (s.equals("weft") || s.equalsIgnoreCase("weft:" + rule.id())
                                || s.equalsIgnoreCase("weft:" + rule.slug()))) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    boolean suppressedByComment(Rule rule, int line) {
        if (ignores(lineText(line), rule)) {
            return true;
        }
        if (line > 1) {
            String prev = lineText(line - 1).strip();
            return prev.startsWith("//") && ignores(prev, rule);
        }
        return false;
    }

    static boolean ignores(String text, Rule rule) {
        if (!text.contains("weft:")) {
            return false;
        }
        Matcher m = IGNORE.matcher(text);
        while (m.find()) {
            if (m.group(1) == null) {
                return true;
            }
            for (String id : m.group(1).split(",")) {
                String t = id.strip();
                if (t.equalsIgnoreCase(rule.id()) || t.equalsIgnoreCase(rule.slug())) {
                    return true;
                }
            }
        }
        return false;
    }

    String lineText(int line) {
        long start = lineMap.getStartPosition(line);
        int s = (int) start;
        int e = s;
        while (e < source.length() && source.charAt(e) != '\n' && source.charAt(e) != '\r') {
            e++;
        }
        return source.subSequence(s, e).toString();
    }

    static String enclosing(TreePath path) {
        StringBuilder sb = new StringBuilder();
        for (TreePath p = path; p != null; p = p.getParentPath()) {
            if (p.getLeaf() instanceof MethodTree mt) {
                sb.insert(0, "#" + mt.getName());
            } else if (p.getLeaf() instanceof ClassTree ct) {
                sb.insert(0, "." + ct.getSimpleName());
            }
        }
        return sb.toString();
    }
}
