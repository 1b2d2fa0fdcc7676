package dev.weft.scan.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Type facts by qualified name, read from the JDK's own class files (and, in attribution mode,
 * the class path) through {@link Elements}. One per worker thread; not thread-safe. Answers are
 * cached: a scan asks the same few hundred questions millions of times.
 *
 * <p>Names use the canonical form with dots for nested types ({@code java.lang.Thread.Builder}).
 */
final class TypeIndex {
    private static final Set<String> OBJECT_ONLY = Set.of("java.lang.Object");

    private final Elements elements;
    private final Types types;
    private final Map<String, Optional<TypeElement>> typeCache = new HashMap<>();
    private final Map<String, Set<String>> superCache = new HashMap<>();
    private final Map<String, Optional<String>> returnCache = new HashMap<>();
    private final Map<String, Optional<String>> fieldCache = new HashMap<>();

    TypeIndex(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    TypeElement type(String fqn) {
        if (fqn == null) {
            return null;
        }
        return typeCache.computeIfAbsent(fqn, n -> {
            if (!inSomePackage(n)) {
                return Optional.empty(); // the same answer, without asking every module for the class
            }
            try {
                return Optional.ofNullable(elements.getTypeElement(n));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    private final Map<String, Boolean> packageSeen = new HashMap<>();
    private List<? extends javax.lang.model.element.ModuleElement> modules;

    private void initModules() {
        if (modules == null) {
            try {
                elements.getTypeElement("java.lang.Object"); // enters the task: the module graph exists after it
                modules = List.copyOf(elements.getAllModuleElements());
            } catch (RuntimeException | Error e) {
                Analysis.rethrowIfFatal(e);
                modules = List.of(); // no shortcut
            }
        }
    }

    /**
     * Whether some proper prefix of {@code fqn} names a package of some module (the JDK's or the
     * class path's): a type can exist only then. Most names a scan asks about are the scanned
     * project's own (not on the class path), and {@link Elements#getTypeElement} looks a missing
     * name up in every module; this asks once per package instead of once per name (ADR 0112).
     */
    private boolean inSomePackage(String fqn) {
        initModules();
        if (modules.isEmpty() || fqn.indexOf('.') < 0) {
            return true; // not modular (an old --release), or the unnamed package: ask for the type itself
        }
        for (int dot = fqn.lastIndexOf('.'); dot > 0; dot = fqn.lastIndexOf('.', dot - 1)) {
            if (packageInSomeModule(fqn.substring(0, dot))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this package has a type in some module of the JDK or on the class path (true when
     * unsure). The engine declares the packages for which this is false to javac (ADR 0112).
     *
     * @param pkg a package name
     * @return false only if no module has a type in that package
     */
    boolean packageInSomeModule(String pkg) {
        initModules();
        Boolean seen = packageSeen.get(pkg);
        if (seen == null) {
            seen = false;
            if (modules == null || modules.isEmpty()) {
                seen = true;
            } else {
                for (javax.lang.model.element.ModuleElement m : modules) {
                    try {
                        if (elements.getPackageElement(m, pkg) != null) {
                            seen = true;
                            break;
                        }
                    } catch (RuntimeException | Error e) {
                        Analysis.rethrowIfFatal(e);
                        seen = true; // unsure
                        break;
                    }
                }
            }
            packageSeen.put(pkg, seen);
        }
        return seen;
    }

    boolean exists(String fqn) {
        return type(fqn) != null;
    }

    private final Map<String, Set<String>> packageMembers = new HashMap<>();

    /**
     * Whether a package of the JDK (or class path) has a top-level type of this simple name. One
     * lookup per package instead of one per name: resolving simple names against {@code java.lang}
     * and on-demand imports is the most frequent question of parse-only matching.
     */
    boolean packageHas(String pkg, String simpleName) {
        Set<String> members = packageMembers.get(pkg);
        if (members == null) {
            members = new java.util.HashSet<>();
            try {
                javax.lang.model.element.PackageElement pe = elements.getPackageElement(pkg);
                if (pe != null) {
                    for (Element e : pe.getEnclosedElements()) {
                        members.add(e.getSimpleName().toString());
                    }
                }
            } catch (RuntimeException | Error e) {
                Analysis.rethrowIfFatal(e);
            }
            packageMembers.put(pkg, members);
        }
        return members.contains(simpleName);
    }

    /** The type and all its supertypes (always including {@code java.lang.Object}). */
    Set<String> supertypes(String fqn) {
        if (fqn == null) {
            return OBJECT_ONLY;
        }
        Set<String> s = superCache.get(fqn);
        if (s == null) {
            TypeElement te = type(fqn);
            if (te != null) {
                s = supertypes(te);
            } else {
                s = selfAndObject(fqn);
                superCache.put(fqn, s);
            }
        }
        return s;
    }

    static Set<String> selfAndObject(String fqn) {
        return fqn.equals("java.lang.Object") ? OBJECT_ONLY : Set.of(fqn, "java.lang.Object");
    }

    Set<String> supertypes(TypeElement te) {
        String key = te.getQualifiedName().toString();
        Set<String> s = superCache.get(key);
        if (s != null) {
            return s;
        }
        Set<String> out = new LinkedHashSet<>();
        collect(te, out);
        out.add("java.lang.Object");
        s = java.util.Collections.unmodifiableSet(out); // ordered: the type first, then its supertypes
        superCache.put(key, s);
        return s;
    }

    private void collect(TypeElement te, Set<String> out) {
        if (!out.add(te.getQualifiedName().toString())) {
            return;
        }
        TypeMirror sc = te.getSuperclass();
        if (sc.getKind() == TypeKind.DECLARED) {
            collect((TypeElement) ((DeclaredType) sc).asElement(), out);
        }
        for (TypeMirror i : te.getInterfaces()) {
            if (i.getKind() == TypeKind.DECLARED) {
                collect((TypeElement) ((DeclaredType) i).asElement(), out);
            }
        }
    }

    /** The qualified name of a declared (or type-variable-bounded) type, or null. */
    static String nameOf(TypeMirror t) {
        if (t == null) {
            return null;
        }
        if (t.getKind() == TypeKind.TYPEVAR) {
            t = ((TypeVariable) t).getUpperBound();
        }
        if (t.getKind() == TypeKind.DECLARED) {
            Element e = ((DeclaredType) t).asElement();
            if (e instanceof TypeElement te) {
                return te.getQualifiedName().toString();
            }
        }
        return null;
    }

    /** The return type of {@code owner.name} with {@code arity} parameters, if all overloads agree. */
    String returnType(String owner, String name, int arity) {
        String key = owner + '#' + name + '/' + arity;
        Optional<String> r = returnCache.get(key);
        if (r == null) {
            r = Optional.ofNullable(computeReturn(owner, name, arity));
            returnCache.put(key, r);
        }
        return r.orElse(null);
    }

    private String computeReturn(String owner, String name, int arity) {
        TypeElement te = type(owner);
        if (te == null) {
            return null;
        }
        String found = null;
        for (String s : supertypes(te)) {
            TypeElement st = type(s);
            if (st == null) {
                continue;
            }
            for (Element m : st.getEnclosedElements()) {
                if (m.getKind() == ElementKind.METHOD && m.getSimpleName().contentEquals(name)) {
                    ExecutableElement ee = (ExecutableElement) m;
                    if (ee.getParameters().size() != arity && !(ee.isVarArgs() && arity >= ee.getParameters().size() - 1)) {
                        continue;
                    }
                    String rt = nameOf(ee.getReturnType());
                    if (rt == null) {
                        return null;
                    }
                    if (found != null && !found.equals(rt)) {
                        return null;
                    }
                    found = rt;
                }
            }
            if (found != null) {
                return found;
            }
        }
        return found;
    }

    /** The declared type of a field {@code owner.name} (static or not), or null. */
    String fieldType(String owner, String name) {
        String key = owner + '#' + name;
        Optional<String> r = fieldCache.get(key);
        if (r == null) {
            String out = null;
            TypeElement te = type(owner);
            if (te != null) {
                for (Element m : te.getEnclosedElements()) {
                    if ((m.getKind() == ElementKind.FIELD || m.getKind() == ElementKind.ENUM_CONSTANT)
                            && m.getSimpleName().contentEquals(name)) {
                        out = nameOf(((VariableElement) m).asType());
                        break;
                    }
                }
            }
            r = Optional.ofNullable(out);
            fieldCache.put(key, r);
        }
        return r.orElse(null);
    }

    /**
     * Whether every overload of {@code owner.name} with {@code arity} parameters takes an
     * {@code Executor} as its last parameter (true) or none does (false); null if unknown or mixed.
     */
    Boolean lastParamIsExecutor(String owner, String name, int arity) {
        TypeElement te = type(owner);
        if (te == null) {
            return null;
        }
        Boolean answer = null;
        for (Element m : elements.getAllMembers(te)) {
            if (m.getKind() == ElementKind.METHOD && m.getSimpleName().contentEquals(name)) {
                List<? extends VariableElement> ps = ((ExecutableElement) m).getParameters();
                if (ps.size() != arity) {
                    continue;
                }
                boolean ex = arity > 0 && "java.util.concurrent.Executor".equals(
                        nameOf(types.erasure(ps.get(arity - 1).asType())));
                if (answer != null && answer != ex) {
                    return null;
                }
                answer = ex;
            }
        }
        return answer;
    }
}
