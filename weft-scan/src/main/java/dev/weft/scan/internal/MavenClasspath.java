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
 * Finds a class path for a Maven project without running Maven: the project's
 * {@code target/classes} and {@code target/test-classes}, plus the jars of its direct dependencies
 * that are already in the local repository ({@code ~/.m2/repository}, or {@code -Dmaven.repo.local}).
 * Versions come from the POM, with {@code ${...}} properties of that POM resolved; a dependency
 * without a version (managed by a parent) takes the highest version present locally. Transitive
 * dependencies are not followed: what does not resolve falls back to name matching.
 */
final class MavenClasspath {
    private static final Pattern DEP = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern PROPS = Pattern.compile("<properties>(.*?)</properties>", Pattern.DOTALL);
    private static final Pattern PROP = Pattern.compile("<([A-Za-z0-9_.-]+)>([^<]*)</\\1>");

    private MavenClasspath() {
    }

    static List<Path> detect(List<Path> scanned) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : scanned) {
            Path dir = p.toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                dir = dir.getParent();
            }
            for (Path d = dir; d != null; d = d.getParent()) {
                if (Files.isRegularFile(d.resolve("pom.xml"))) {
                    addProject(d, out);
                    break;
                }
            }
        }
        return new ArrayList<>(out);
    }

    private static void addProject(Path project, Set<Path> out) {
        for (String t : List.of("target/classes", "target/test-classes")) {
            Path c = project.resolve(t);
            if (Files.isDirectory(c)) {
                out.add(c);
            }
        }
        String pom;
        try {
            pom = Files.readString(project.resolve("pom.xml"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;
        }
        Map<String, String> props = new HashMap<>();
        Matcher pm = PROPS.matcher(pom);
        if (pm.find()) {
            Matcher m = PROP.matcher(pm.group(1));
            while (m.find()) {
                props.put(m.group(1), m.group(2).strip());
            }
        }
        Path repo = Path.of(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository"));
        Matcher dm = DEP.matcher(pom);
        while (dm.find()) {
            String body = dm.group(1);
            String g = tag(body, "groupId", props);
            String a = tag(body, "artifactId", props);
            String v = tag(body, "version", props);
            String type = tag(body, "type", props);
            if (g == null || a == null || (type != null && !type.equals("jar"))) {
                continue;
            }
            Path dir = repo.resolve(g.replace('.', '/')).resolve(a);
            if (v == null || v.contains("${")) {
                v = highestVersion(dir);
            }
            if (v != null) {
                Path jar = dir.resolve(v).resolve(a + "-" + v + ".jar");
                if (Files.isRegularFile(jar)) {
                    out.add(jar);
                }
            }
        }
    }

    private static String tag(String body, String name, Map<String, String> props) {
        Matcher m = Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">").matcher(body);
        if (!m.find()) {
            return null;
        }
        String v = m.group(1);
        Matcher p = Pattern.compile("\\$\\{([^}]+)}").matcher(v);
        StringBuilder sb = new StringBuilder();
        while (p.find()) {
            String r = props.get(p.group(1));
            p.appendReplacement(sb, Matcher.quoteReplacement(r == null ? p.group(0) : r));
        }
        p.appendTail(sb);
        return sb.toString();
    }

    static String highestVersion(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .max(MavenClasspath::compareVersions).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c;
            if (p.matches("\\d+") && q.matches("\\d+")) {
                c = Long.compare(Long.parseLong(p), Long.parseLong(q));
            } else {
                c = p.compareTo(q);
            }
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
