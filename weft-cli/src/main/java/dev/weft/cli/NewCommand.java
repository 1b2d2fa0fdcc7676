package dev.weft.cli;

import dev.weft.cli.template.ProjectTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code weft new DIR}: a new service project from the Weft template, the one
 * {@code mvn archetype:generate -DarchetypeArtifactId=weft-archetype} generates, without Maven's
 * prompts (ADR 0600; what is generated: docs/template.md).
 */
final class NewCommand extends Cli.Command {
    private static final Set<String> KEYWORDS = Set.of("abstract", "assert", "boolean", "break", "byte", "case", "catch",
            "char", "class", "const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally",
            "float", "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
            "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false",
            "null", "_", "record", "sealed", "permits", "var", "yield", "non-sealed");
    private static final Pattern ARTIFACT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    Path dir;
    String packageName;
    String name;
    String groupId;
    String version;
    String weftVersion;

    @Override
    String name() {
        return "new";
    }

    @Override
    List<String> description() {
        return List.of("Creates a service project from the Weft template in DIR (the same project as mvn archetype:generate -DarchetypeGroupId=dev.weft -DarchetypeArtifactId=weft-archetype): config from file + environment, JSON logs, a WebApp with a fan-out route, health checks, a job queue, metrics, graceful shutdown on SIGTERM, tests, and ./run to start it.");
    }

    @Override
    String summary() {
        return "Creates a service project from the Weft template.";
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.positional("DIR", "The project directory (created; must be empty if it exists).", 1, 1, v -> dir = Cli.PATH.apply(v.getFirst()));
        spec.option("--package", "NAME", "The Java package (default: ${DEFAULT-VALUE}).", "com.example.svc", Cli.STRING, v -> packageName = v);
        spec.option("--name", "NAME", "The Maven artifactId and service name (default: DIR's last part).", null, Cli.STRING, v -> name = v);
        spec.option("--group-id", "ID", "The Maven groupId (default: ${DEFAULT-VALUE}).", "com.example", Cli.STRING, v -> groupId = v);
        spec.option("--version", "VERSION", "The project's version (default: ${DEFAULT-VALUE}).", "0.1.0-SNAPSHOT", Cli.STRING, v -> version = v);
        spec.option("--weft-version", "VERSION", "The Weft version the project depends on (default: this weft's, read from the template).", null, Cli.STRING, v -> weftVersion = v);
    }

    @Override
    int call() {
        String artifactId = name != null ? name : dir.toAbsolutePath().normalize().getFileName().toString();
        String problem = packageProblem(packageName);
        if (problem == null && !ARTIFACT.matcher(artifactId).matches()) {
            problem = (name != null ? "--name '" : "the directory name '") + artifactId
                    + "' is not a Maven artifactId: use letters, digits, '-', '_' and '.'" + (name != null ? "" : ", or give --name");
        }
        if (problem == null && !ARTIFACT.matcher(groupId).matches()) {
            problem = "--group-id '" + groupId + "' is not a Maven groupId: use letters, digits, '-', '_' and '.', such as com.example";
        }
        if (problem == null && !ARTIFACT.matcher(version).matches()) {
            problem = "--version '" + version + "' is not a Maven version, such as 0.1.0-SNAPSHOT";
        }
        if (problem == null && Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
            problem = dir + (Files.isDirectory(dir) ? " is not empty" : " exists and is not a directory")
                    + ": choose a new directory (weft new never overwrites files)";
        }
        if (problem != null) {
            err.println("weft new: " + problem);
            return 2;
        }
        ProjectTemplate template;
        try {
            template = ProjectTemplate.load(NewCommand.class.getClassLoader());
        } catch (IllegalStateException e) {
            err.println("weft new: " + e.getMessage());
            return 1;
        }
        Map<String, String> props = new LinkedHashMap<>();
        props.put("groupId", groupId);
        props.put("artifactId", artifactId);
        props.put("version", version);
        props.put("package", packageName);
        if (weftVersion != null) {
            props.put("weftVersion", weftVersion);
        }
        List<String> files;
        try {
            files = template.generate(dir, props);
        } catch (IOException e) {
            err.println("weft new: could not write the project into " + dir + ": " + e);
            return 1;
        }
        String weft = props.getOrDefault("weftVersion", template.defaults().get("weftVersion"));
        out.printf("weft new: created %s in %s (%d files; package %s; Weft %s)%n", artifactId, dir, files.size(), packageName, weft);
        out.printf("  cd %s%n  ./run          # build and serve on 127.0.0.1:8080 (Ctrl-C drains and stops)%n"
                + "  ./run test     # the tests%n", dir);
        out.printf("It depends on Weft %s from your local Maven repository (~/.m2): if Maven cannot find it, run%n"
                + "'mvn install -DskipTests' once in the Weft checkout.%n", weft);
        return 0;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Why {@code name} is not a usable Java package name, or null if it is.
     *
     * @param name the package name
     * @return the problem, worded for the user, or null
     */
    static String packageProblem(String name) {
        if (name.isEmpty()) {
            return "--package must not be empty; use a name such as com.example.svc";
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isJavaIdentifierStart(part.codePointAt(0))
                    || !part.codePoints().allMatch(Character::isJavaIdentifierPart)) {
                return "--package '" + name + "' is not a Java package name: use dot-separated identifiers such as com.example.svc";
            }
            if (KEYWORDS.contains(part)) {
                return "--package '" + name + "' contains the Java keyword '" + part + "': choose another name for that part";
            }
        }
        return null;
    }
}
