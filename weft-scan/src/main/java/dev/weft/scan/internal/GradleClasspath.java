package dev.weft.scan.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a class path for a Gradle project without running Gradle (best effort, ADR 0106): the
 * compiled classes of every module ({@code build/classes/java/main} and {@code .../test}) and the
 * jars of the dependencies the build files name that are already in Gradle's cache
 * ({@code $GRADLE_USER_HOME/caches/modules-2/files-2.1}, default {@code ~/.gradle}) or in the Maven
 * local repository.
 *
 * <p>Dependencies are read from {@code "group:name:version"} strings in every
 * {@code build.gradle} and {@code build.gradle.kts} under the project root, and from the
 * {@code [libraries]} of {@code gradle/libs.versions.toml} ({@code module = "group:name"} or
 * {@code group = ..., name = ...}, with {@code version} or {@code version.ref}). A dependency whose
 * version is not given, or not in the cache, takes the highest version present. Transitive
 * dependencies are not followed: what does not resolve falls back to name matching.
 */
final class GradleClasspath {
    private static final Pattern COORD = Pattern.compile("[\"']([A-Za-z0-9_.\\-]+):([A-Za-z0-9_.\\-]+)(?::([A-Za-z0-9_.\\-+]+))?[\"']");
    private static final Pattern TOML_LIB = Pattern.compile("(?m)^\\s*[A-Za-z0-9_.\\-]+\\s*=\\s*\\{([^}]*)}");
    private static final Pattern TOML_KV = Pattern.compile("([A-Za-z.]+)\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern TOML_VERSION = Pattern.compile("(?m)^\\s*([A-Za-z0-9_.\\-]+)\\s*=\\s*\"([^\"]*)\"");
    private static final Set<String> SKIP_DIRS = Set.of("build", ".git", ".gradle", "node_modules", "out", "target");

    private GradleClasspath() {
    }

    /** The class path of the Gradle projects the scanned paths are in; empty if there are none. */
    static List<Path> detect(List<Path> scanned) {
        String home = System.getenv("GRADLE_USER_HOME");
        Path gradleHome = home != null && !home.isBlank() ? Path.of(home)
                : Path.of(System.getProperty("user.home"), ".gradle");
        Path m2 = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        return detect(scanned, gradleHome, m2);
    }

    static List<Path> detect(List<Path> scanned, Path gradleHome, Path m2) {
        Set<Path> roots = new LinkedHashSet<>();
        for (Path p : scanned) {
            Path dir = p.toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                dir = dir.getParent();
            }
            Path root = null;
            for (Path d = dir; d != null; d = d.getParent()) {
                if (isBuild(d, "settings")) {
                    root = d; // the outermost build with settings wins: multi-project builds
                } else if (root == null && isBuild(d, "build")) {
                    root = d;
                }
            }
            if (root != null) {
                roots.add(root);
            }
        }
        Set<Path> out = new LinkedHashSet<>();
        for (Path root : roots) {
            addProject(root, gradleHome.resolve("caches/modules-2/files-2.1"), m2, out);
        }
        return new ArrayList<>(out);
    }

    private static boolean isBuild(Path d, String name) {
        return Files.isRegularFile(d.resolve(name + ".gradle")) || Files.isRegularFile(d.resolve(name + ".gradle.kts"));
    }

    private static void addProject(Path root, Path cache, Path m2, Set<Path> out) {
        List<Path> builds = new ArrayList<>();
        walk(root, 0, builds);
        Set<String> coords = new LinkedHashSet<>();
        for (Path b : builds) {
            for (String sub : List.of("build/classes/java/main", "build/classes/java/test")) {
                Path c = b.getParent().resolve(sub);
                if (Files.isDirectory(c)) {
                    out.add(c);
                }
            }
            Matcher m = COORD.matcher(read(b));
            while (m.find()) {
                coords.add(m.group(1) + ":" + m.group(2) + ":" + (m.group(3) == null ? "" : m.group(3)));
            }
        }
        coords.addAll(catalogue(read(root.resolve("gradle/libs.versions.toml"))));
        for (String c : coords) {
            String[] f = c.split(":", -1);
            Path jar = find(cache, m2, f[0], f[1], f[2]);
            if (jar != null) {
                out.add(jar);
            }
        }
    }

    private static void walk(Path dir, int depth, List<Path> builds) {
        if (depth > 6) {
            return;
        }
        for (String n : List.of("build.gradle", "build.gradle.kts")) {
            if (Files.isRegularFile(dir.resolve(n))) {
                builds.add(dir.resolve(n));
            }
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : s.filter(Files::isDirectory).toList()) {
                String name = c.getFileName().toString();
                if (!SKIP_DIRS.contains(name) && !name.startsWith(".") && !name.equals("src")) {
                    walk(c, depth + 1, builds);
                }
            }
        } catch (IOException e) {
            // unreadable directory: best effort
        }
    }

    /** {@code group:name:version} (version possibly empty) of the libraries of a version catalogue. */
    static List<String> catalogue(String toml) {
        List<String> out = new ArrayList<>();
        if (toml.isEmpty()) {
            return out;
        }
        Map<String, String> versions = new HashMap<>();
        String vs = section(toml, "versions");
        Matcher vm = TOML_VERSION.matcher(vs);
        while (vm.find()) {
            versions.put(vm.group(1), vm.group(2));
        }
        Matcher lm = TOML_LIB.matcher(section(toml, "libraries"));
        while (lm.find()) {
            Map<String, String> kv = new HashMap<>();
            Matcher m = TOML_KV.matcher(lm.group(1));
            while (m.find()) {
                kv.put(m.group(1), m.group(2));
            }
            String module = kv.get("module");
            if (module == null && kv.containsKey("group") && kv.containsKey("name")) {
                module = kv.get("group") + ":" + kv.get("name");
            }
            if (module == null || !module.contains(":")) {
                continue;
            }
            String v = kv.containsKey("version") ? kv.get("version") : versions.getOrDefault(kv.get("version.ref"), "");
            out.add(module + ":" + v);
        }
        return out;
    }

    private static String section(String toml, String name) {
        int i = toml.indexOf("[" + name + "]");
        if (i < 0) {
            return "";
        }
        int j = toml.indexOf("\n[", i + 1);
        return j < 0 ? toml.substring(i) : toml.substring(i, j);
    }

    private static Path find(Path cache, Path m2, String g, String a, String v) {
        Path gdir = cache.resolve(g).resolve(a);
        String gv = v.isEmpty() || !Files.isDirectory(gdir.resolve(v)) ? MavenClasspath.highestVersion(gdir) : v;
        if (gv != null) {
            try (Stream<Path> s = Files.walk(gdir.resolve(gv), 2)) {
                Path jar = s.filter(p -> p.getFileName().toString().equals(a + "-" + gv + ".jar")).findFirst().orElse(null);
                if (jar != null) {
                    return jar;
                }
            } catch (IOException e) {
                // fall through to the Maven repository
            }
        }
        Path mdir = m2.resolve(g.replace('.', '/')).resolve(a);
        String mv = v.isEmpty() || !Files.isDirectory(mdir.resolve(v)) ? MavenClasspath.highestVersion(mdir) : v;
        if (mv != null) {
            Path jar = mdir.resolve(mv).resolve(a + "-" + mv + ".jar");
            return Files.isRegularFile(jar) ? jar : null;
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
