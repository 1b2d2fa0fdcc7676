package dev.weft.scan.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The data that says which calls block and which APIs decide where code runs. Loaded from the
 * bundled {@code blocking-apis.txt} and any user files; immutable once built.
 */
public final class Catalogue {

    /** Blocking categories, each mapped to its non-blocking-context rule. */
    public enum Category { NET, JDBC, FILE, DNS, PROCESS, CONSOLE, SLEEP, WAIT }

    /** Where functional arguments of an API run. */
    public enum ContextKind { NONBLOCKING, VIRTUAL, OFFLOAD, PLATFORM, ASYNC, EXECUTOR, REACTIVE }

    /** What an executor factory returns. */
    public enum ExecutorKind { VIRTUAL, PLATFORM, COMMON }

    /** A method pattern: name (or suffix), optional arity, optional erased parameter types. */
    public record MethodSpec(String name, boolean suffix, boolean any, int arity, List<String> params) {
        static MethodSpec parse(String s) {
            if (s.equals("*")) {
                return new MethodSpec("*", false, true, -1, null);
            }
            if (s.startsWith("*")) {
                return new MethodSpec(s.substring(1), true, false, -1, null);
            }
            int paren = s.indexOf('(');
            if (paren >= 0) {
                String inner = s.substring(paren + 1, s.length() - 1).trim();
                List<String> ps = inner.isEmpty() ? List.of() : List.of(inner.split("\\s*,\\s*"));
                return new MethodSpec(s.substring(0, paren), false, false, ps.size(), ps);
            }
            int slash = s.indexOf('/');
            if (slash >= 0) {
                return new MethodSpec(s.substring(0, slash), false, false,
                        Integer.parseInt(s.substring(slash + 1)), null);
            }
            return new MethodSpec(s, false, false, -1, null);
        }

        boolean matchesName(String n) {
            return any || (suffix ? n.endsWith(name) && n.length() > name.length() : n.equals(name));
        }

        /** {@code paramTypes} is null when the call was not attributed: then only the count is compared. */
        boolean matchesSignature(int argCount, List<String> paramTypes) {
            if (params != null && paramTypes != null) {
                return params.equals(paramTypes);
            }
            return arity < 0 || arity == argCount;
        }

        /**
         * Parse-only refinement: an argument whose type was inferred and is not the declared
         * parameter type rules the overload out ({@code new InetSocketAddress(addr, 80)} with an
         * {@code InetAddress addr} is not the resolving {@code (String, int)} constructor).
         */
        boolean argumentsFit(java.util.function.IntFunction<String> argType) {
            if (params == null) {
                return true;
            }
            for (int i = 0; i < params.size(); i++) {
                String want = params.get(i);
                if (!want.contains(".")) {
                    continue; // primitives: literals are not inferred
                }
                String have = argType.apply(i);
                if (have != null && !have.equals(want)) {
                    return false;
                }
            }
            return true;
        }
    }

    public record Blocking(Category category, String owner, MethodSpec method, boolean untimed, boolean stdin) { }

    public record ContextApi(ContextKind kind, String owner, MethodSpec method) { }

    public record ExecutorFactory(ExecutorKind kind, String owner, MethodSpec method) { }

    public record OwnedMethod(String owner, MethodSpec method) { }

    private final Map<String, List<Blocking>> blockingByName = new HashMap<>();
    private final List<Blocking> blockingWild = new ArrayList<>();
    private final Map<String, List<ContextApi>> contextByName = new HashMap<>();
    private final List<ContextApi> contextWild = new ArrayList<>();
    private final Map<String, List<ExecutorFactory>> executors = new HashMap<>();
    private final List<OwnedMethod> offloadSchedulers = new ArrayList<>();
    private final Map<String, List<OwnedMethod>> resultRequired = new HashMap<>();
    private final Map<String, List<OwnedMethod>> noopOnVirtual = new HashMap<>();
    private final Map<String, List<String>> handlerTypes = new java.util.LinkedHashMap<>();
    private final List<Map.Entry<OwnedMethod, String>> returns = new ArrayList<>();
    private final Set<String> nonBlockingAnnotations = new HashSet<>();
    private final Set<String> knownTypes = new HashSet<>();

    private Catalogue() {
    }

    /** The bundled catalogue plus the given user files, in order. */
    public static Catalogue load(List<Path> extraFiles) {
        Catalogue c = new Catalogue();
        try (InputStream in = Catalogue.class.getResourceAsStream("blocking-apis.txt")) {
            if (in == null) {
                throw new IllegalStateException("bundled blocking-apis.txt is missing");
            }
            c.read(new InputStreamReader(in, StandardCharsets.UTF_8), "blocking-apis.txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : extraFiles) {
            try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                c.read(r, p.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read --blocking-api file " + p + ": " + e.getMessage(), e);
            }
        }
        return c;
    }

    private void read(Reader reader, String source) throws IOException {
        BufferedReader br = new BufferedReader(reader);
        String line;
        int n = 0;
        while ((line = br.readLine()) != null) {
            n++;
            int hash = line.indexOf('#');
            String s = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                parseLine(s.split("\\s+"));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ":" + n + ": bad catalogue line '" + s + "': "
                        + e.getMessage(), e);
            }
        }
    }

    private static String owner(String s) {
        return s.replace('$', '.');
    }

    private void parseLine(String[] f) {
        switch (f[0]) {
            case "blocking" -> {
                need(f, 4);
                Category cat = Category.valueOf(f[1].toUpperCase(Locale.ROOT));
                Set<String> flags = flags(f, 4);
                for (String flag : flags) {
                    if (!flag.equals("untimed") && !flag.equals("stdin")) {
                        throw new IllegalArgumentException("unknown flag '" + flag + "'");
                    }
                }
                Blocking b = new Blocking(cat, owner(f[2]), MethodSpec.parse(f[3]),
                        flags.contains("untimed"), flags.contains("stdin"));
                knownTypes.add(b.owner());
                if (b.method().any() || b.method().suffix()) {
                    blockingWild.add(b);
                } else {
                    blockingByName.computeIfAbsent(b.method().name(), k -> new ArrayList<>()).add(b);
                }
            }
            case "context" -> {
                need(f, 4);
                ContextApi c = new ContextApi(ContextKind.valueOf(f[1].toUpperCase(Locale.ROOT)),
                        owner(f[2]), MethodSpec.parse(f[3]));
                knownTypes.add(c.owner());
                if (c.method().any() || c.method().suffix()) {
                    contextWild.add(c);
                } else {
                    contextByName.computeIfAbsent(c.method().name(), k -> new ArrayList<>()).add(c);
                }
            }
            case "executor" -> {
                need(f, 4);
                ExecutorFactory e = new ExecutorFactory(ExecutorKind.valueOf(f[1].toUpperCase(Locale.ROOT)),
                        owner(f[2]), MethodSpec.parse(f[3]));
                knownTypes.add(e.owner());
                executors.computeIfAbsent(e.method().name(), k -> new ArrayList<>()).add(e);
            }
            case "scheduler" -> {
                need(f, 4);
                if (!f[1].equals("offload")) {
                    throw new IllegalArgumentException("scheduler kind must be 'offload'");
                }
                offloadSchedulers.add(new OwnedMethod(owner(f[2]), MethodSpec.parse(f[3])));
                knownTypes.add(owner(f[2]));
            }
            case "handler" -> {
                need(f, 2);
                handlerTypes.put(owner(f[1]), List.of(f).subList(2, f.length));
                knownTypes.add(owner(f[1]));
            }
            case "annotation" -> {
                need(f, 3);
                if (!f[1].equals("nonblocking")) {
                    throw new IllegalArgumentException("annotation kind must be 'nonblocking'");
                }
                String a = f[2];
                nonBlockingAnnotations.add(a.substring(a.lastIndexOf('.') + 1));
            }
            case "result-required" -> {
                need(f, 3);
                OwnedMethod m = new OwnedMethod(owner(f[1]), MethodSpec.parse(f[2]));
                knownTypes.add(m.owner());
                resultRequired.computeIfAbsent(m.method().name(), k -> new ArrayList<>()).add(m);
            }
            case "returns" -> {
                need(f, 4);
                OwnedMethod m = new OwnedMethod(owner(f[1]), MethodSpec.parse(f[2]));
                knownTypes.add(m.owner());
                returns.add(Map.entry(m, owner(f[3])));
            }
            case "noop-on-virtual" -> {
                need(f, 3);
                OwnedMethod m = new OwnedMethod(owner(f[1]), MethodSpec.parse(f[2]));
                noopOnVirtual.computeIfAbsent(m.method().name(), k -> new ArrayList<>()).add(m);
            }
            default -> throw new IllegalArgumentException("unknown entry kind '" + f[0] + "'");
        }
    }

    private static Set<String> flags(String[] f, int from) {
        Set<String> s = new HashSet<>();
        for (int i = from; i < f.length; i++) {
            s.add(f[i]);
        }
        return s;
    }

    private static void need(String[] f, int n) {
        if (f.length < n) {
            throw new IllegalArgumentException("expected at least " + n + " fields");
        }
    }

    /** The first blocking entry matching the call, or null. */
    Blocking blocking(String name, int argCount, List<String> paramTypes, Set<String> ownerTypes,
                      java.util.function.IntFunction<String> argType) {
        List<Blocking> list = blockingByName.get(name);
        if (list != null) {
            for (Blocking b : list) {
                if (ownerTypes.contains(b.owner()) && b.method().matchesSignature(argCount, paramTypes)
                        && (paramTypes != null || argType == null || b.method().argumentsFit(argType))) {
                    return b;
                }
            }
        }
        for (Blocking b : blockingWild) {
            if (b.method().matchesName(name) && ownerTypes.contains(b.owner())) {
                return b;
            }
        }
        return null;
    }

    ContextApi context(String name, int argCount, Set<String> ownerTypes) {
        List<ContextApi> list = contextByName.get(name);
        if (list != null) {
            for (ContextApi c : list) {
                if (ownerTypes.contains(c.owner()) && c.method().matchesSignature(argCount, null)) {
                    return c;
                }
            }
        }
        for (ContextApi c : contextWild) {
            if (c.method().matchesName(name) && ownerTypes.contains(c.owner())) {
                return c;
            }
        }
        return null;
    }

    ExecutorFactory executor(String name, Set<String> ownerTypes) {
        List<ExecutorFactory> list = executors.get(name);
        if (list != null) {
            for (ExecutorFactory e : list) {
                if (ownerTypes.contains(e.owner())) {
                    return e;
                }
            }
        }
        return null;
    }

    boolean offloadScheduler(String name, Set<String> ownerTypes) {
        for (OwnedMethod m : offloadSchedulers) {
            if (m.method().matchesName(name) && ownerTypes.contains(m.owner())) {
                return true;
            }
        }
        return false;
    }

    /** The catalogue owner whose {@code name} must not have its result dropped, or null. */
    String resultRequired(String name, Set<String> ownerTypes) {
        List<OwnedMethod> list = resultRequired.get(name);
        if (list != null) {
            for (OwnedMethod m : list) {
                if (ownerTypes.contains(m.owner())) {
                    return m.owner();
                }
            }
        }
        return null;
    }

    boolean noopOnVirtual(String name, Set<String> ownerTypes) {
        return owned(noopOnVirtual, name, ownerTypes);
    }

    private static boolean owned(Map<String, List<OwnedMethod>> map, String name, Set<String> ownerTypes) {
        List<OwnedMethod> list = map.get(name);
        if (list != null) {
            for (OwnedMethod m : list) {
                if (ownerTypes.contains(m.owner())) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean isNonBlockingAnnotation(String simpleOrQualified) {
        return nonBlockingAnnotations.contains(simpleOrQualified.substring(simpleOrQualified.lastIndexOf('.') + 1));
    }

    /** Types named by the catalogue (used to resolve on-demand imports of non-JDK packages). */
    boolean isKnownType(String fqn) {
        return knownTypes.contains(fqn);
    }

    private Set<String> interesting;

    /** Whether a call with this name can matter to any rule (a cheap filter before resolution). */
    boolean isInteresting(String name) {
        Set<String> i = interesting;
        if (i == null) {
            i = new HashSet<>();
            i.addAll(blockingByName.keySet());
            i.addAll(executors.keySet());
            i.addAll(resultRequired.keySet());
            i.addAll(noopOnVirtual.keySet());
            i.add("get");
            i.add("newThreadPerTaskExecutor");
            interesting = i;
        }
        return i.contains(name) || name.endsWith("Async") || !blockingWild.isEmpty();
    }

    /** For parse-only chains through library types: what {@code owner.name(...)} returns, or null. */
    String returnType(String name, Set<String> ownerTypes) {
        for (Map.Entry<OwnedMethod, String> e : returns) {
            if (e.getKey().method().matchesName(name) && ownerTypes.contains(e.getKey().owner())) {
                return e.getValue().equals("-") ? null : e.getValue();
            }
        }
        return null;
    }

    boolean isResultRequiredName(String name) {
        return resultRequired.containsKey(name);
    }

    /**
     * The first handler type among the supertypes whose callbacks include {@code method}, or null:
     * only a handler's callbacks run on the event loop, not every method of a class that also
     * implements a handler interface.
     */
    String handlerType(Set<String> supertypes, String method) {
        for (Map.Entry<String, List<String>> h : handlerTypes.entrySet()) {
            if (supertypes.contains(h.getKey()) && callback(h.getValue(), method)) {
                return h.getKey();
            }
        }
        return null;
    }

    private static boolean callback(List<String> methods, String method) {
        if (methods.isEmpty()) {
            return true;
        }
        for (String m : methods) {
            if (m.endsWith("*") ? method.startsWith(m.substring(0, m.length() - 1)) : m.equals(method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether every {@code context} entry for this method name is an offload API: then a lambda
     * handed to a call of that name whose owner did not resolve ({@code vertx.executeBlocking(...)}
     * on an inherited field) runs where blocking is allowed.
     */
    boolean offloadByName(String name) {
        List<ContextApi> l = contextByName.get(name);
        if (l == null || l.isEmpty()) {
            return false;
        }
        for (ContextApi c : l) {
            if (c.kind() != ContextKind.OFFLOAD) {
                return false;
            }
        }
        return true;
    }

    /** A method name with its own {@code context} entry (wildcard entries do not count). */
    boolean isExplicitContextName(String name) {
        return contextByName.containsKey(name) || name.endsWith("Async");
    }
}
