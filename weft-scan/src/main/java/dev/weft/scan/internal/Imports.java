package dev.weft.scan.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;
import javax.lang.model.SourceVersion;
import javax.tools.SimpleJavaFileObject;

/**
 * The packages a source file declares and imports from, read from its text without parsing (the
 * lines that start with {@code package} or {@code import}), for {@link Engine}'s declaration of
 * packages that javac would otherwise search every module for (ADR 0112).
 */
final class Imports {
    private Imports() {
    }

    /**
     * Adds the file's own package to {@code declared} and the package of each import to
     * {@code imported}: the segments before the first one that starts with an upper-case letter
     * ({@code a.b.C.D} and {@code static a.b.C.m} give {@code a.b}), the whole name of an on-demand
     * import without such a segment ({@code a.b.*} gives {@code a.b}), else all but the last segment.
     * A name that is not a valid package name is left out. Only a hint: a wrong or missing entry
     * costs time, never a finding.
     */
    static void scan(CharSequence text, Set<String> declared, Set<String> imported) {
        scan(text, declared, imported, new java.util.HashSet<>());
    }

    /**
     * As above, and adds to {@code enclosing} each enclosing class of a nested class the file imports
     * ({@code a.b.C} of {@code import a.b.C.D;} or {@code import static a.b.C.D.m;}): when class
     * {@code a.b.C} is not found, javac takes {@code a.b.C} for a package and, as that package is
     * nowhere, searches every module for {@code D} (ADR 0113).
     */
    static void scan(CharSequence text, Set<String> declared, Set<String> imported, Set<String> enclosing) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && text.charAt(end) != '\n') {
                end++;
            }
            int a = i;
            while (a < end && Character.isWhitespace(text.charAt(a))) {
                a++;
            }
            if (startsWith(text, a, end, "import ")) {
                String name = name(text, a + "import ".length(), end);
                boolean isStatic = name.startsWith("static ");
                if (isStatic) {
                    name = name.substring("static ".length()).strip();
                }
                String pkg = packageOf(name.replace(" ", ""), isStatic);
                if (pkg != null) {
                    imported.add(pkg);
                    enclosing.addAll(enclosingTypes(name.replace(" ", ""), isStatic));
                }
            } else if (startsWith(text, a, end, "package ")) {
                String pkg = name(text, a + "package ".length(), end).replace(" ", "");
                if (SourceVersion.isName(pkg)) {
                    declared.add(pkg);
                }
            }
            i = end + 1;
        }
    }

    private static boolean startsWith(CharSequence text, int from, int end, String word) {
        if (end - from < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (text.charAt(from + k) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** The text up to the {@code ;} on this line, stripped ("" if there is none). */
    private static String name(CharSequence text, int from, int end) {
        for (int k = from; k < end; k++) {
            if (text.charAt(k) == ';') {
                return text.subSequence(from, k).toString().strip();
            }
        }
        return "";
    }

    static String packageOf(String name, boolean isStatic) {
        boolean onDemand = name.endsWith(".*");
        if (onDemand) {
            name = name.substring(0, name.length() - 2);
        }
        String[] parts = name.split("\\.");
        int upper = -1;
        for (int k = 0; k < parts.length; k++) {
            if (!parts[k].isEmpty() && Character.isUpperCase(parts[k].charAt(0))) {
                upper = k;
                break;
            }
        }
        String pkg;
        if (upper >= 0) {
            pkg = String.join(".", java.util.Arrays.copyOfRange(parts, 0, upper));
        } else if (onDemand && !isStatic) {
            pkg = name;
        } else {
            int dot = name.lastIndexOf('.');
            pkg = dot > 0 ? name.substring(0, dot) : "";
            if (isStatic && dot > 0) { // a.b.c.m: the class is a.b.c, its package a.b
                int d2 = pkg.lastIndexOf('.');
                pkg = d2 > 0 ? pkg.substring(0, d2) : "";
            }
        }
        return !pkg.isEmpty() && SourceVersion.isName(pkg) ? pkg : null;
    }

    /**
     * The classes that enclose the class an import names, outermost first: {@code a.b.C} and
     * {@code a.b.C.D} for {@code a.b.C.D.E} (or {@code static a.b.C.D.E.m}); none for a top-level
     * class, an on-demand import or a name without an upper-case segment.
     */
    static java.util.List<String> enclosingTypes(String name, boolean isStatic) {
        if (name.endsWith(".*")) {
            return java.util.List.of();
        }
        String[] parts = name.split("\\.");
        int types = isStatic ? parts.length - 1 : parts.length; // the segments that name classes end here
        java.util.List<String> out = new java.util.ArrayList<>();
        boolean inType = false;
        StringBuilder prefix = new StringBuilder();
        for (int k = 0; k < types; k++) {
            if (k > 0) {
                prefix.append('.');
            }
            prefix.append(parts[k]);
            inType |= !parts[k].isEmpty() && Character.isUpperCase(parts[k].charAt(0));
            if (inType && k + 1 < types && SourceVersion.isName(prefix)) {
                out.add(prefix.toString());
            }
        }
        return out;
    }

    /** A {@code package-info.java} that only declares a package. */
    static final class PackageInfo extends SimpleJavaFileObject {
        private final String pkg;

        PackageInfo(String pkg) {
            super(uri(pkg), Kind.SOURCE);
            this.pkg = pkg;
        }

        private static URI uri(String pkg) {
            try {
                return new URI("weft-package", null, "/" + pkg.replace('.', '/') + "/package-info.java", null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return "package " + pkg + ";\n";
        }
    }
}
