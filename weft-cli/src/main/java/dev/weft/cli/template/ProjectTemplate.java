package dev.weft.cli.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Weft service template, read from the {@code weft-archetype} jar on the class path: the same
 * files and the same descriptor ({@code META-INF/maven/archetype-metadata.xml}) that
 * {@code mvn archetype:generate} uses, so the two produce the same project (ADR 0600).
 *
 * <p>Supports the subset of the archetype format the template uses: required properties with
 * defaults; file sets with {@code directory}, {@code filtered}, {@code packaged} and Ant-style
 * {@code include}/{@code exclude} patterns; {@code __property__} in file names; and, in filtered
 * files, {@code ${property}} (any other {@code ${...}} is left as it is, as Velocity leaves an
 * undefined reference). {@link #velocityProblems} finds the Velocity syntax this renderer does not
 * implement, so a template change that would make the two differ fails a test. A file that starts
 * with {@code #!} is made executable (the archetype's post-generate script does the same).
 */
public final class ProjectTemplate {
    static final String DESCRIPTOR = "META-INF/maven/archetype-metadata.xml";
    static final String RESOURCES = "archetype-resources";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.-]*)}");
    private static final Pattern DIRECTIVE = Pattern.compile(
            "##|#\\*|#\\[\\[|#\\{?(set|if|else|elseif|end|foreach|macro|include|parse|stop|break|define|evaluate)\\b");

    /** A file set of the descriptor. */
    record FileSet(String directory, boolean filtered, boolean packaged, List<String> includes, List<String> excludes) {
    }

    /** One file to write: where (relative to the project), its template, and whether it is filtered. */
    record Entry(String target, Path source, boolean filtered) {
    }

    private final Path root;
    private final Map<String, String> defaults;
    private final List<FileSet> fileSets;

    private ProjectTemplate(Path root, Map<String, String> defaults, List<FileSet> fileSets) {
        this.root = root;
        this.defaults = defaults;
        this.fileSets = fileSets;
    }

    /**
     * The template on the class path of {@code loader}.
     *
     * @param loader where the weft-archetype jar (or its classes directory) is
     * @return the template
     * @throws IllegalStateException if the template is not there or its descriptor cannot be read
     */
    public static ProjectTemplate load(ClassLoader loader) {
        URL descriptor = loader.getResource(DESCRIPTOR);
        URL pom = loader.getResource(RESOURCES + "/pom.xml");
        if (descriptor == null || pom == null) {
            throw new IllegalStateException("the Weft service template (weft-archetype) is not on the class path: rebuild weft-cli");
        }
        try {
            Path root = path(pom.toURI()).getParent();
            Document doc;
            try (InputStream in = descriptor.openStream()) {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setNamespaceAware(false);
                doc = f.newDocumentBuilder().parse(in);
            }
            Map<String, String> defaults = new LinkedHashMap<>();
            for (Element p : elements(doc.getDocumentElement(), "requiredProperty")) {
                List<Element> d = elements(p, "defaultValue");
                defaults.put(p.getAttribute("key"), d.isEmpty() ? null : d.getFirst().getTextContent().strip());
            }
            List<FileSet> sets = new ArrayList<>();
            for (Element fs : elements(doc.getDocumentElement(), "fileSet")) {
                List<Element> dir = elements(fs, "directory");
                sets.add(new FileSet(dir.isEmpty() ? "" : dir.getFirst().getTextContent().strip(),
                        Boolean.parseBoolean(fs.getAttribute("filtered")), Boolean.parseBoolean(fs.getAttribute("packaged")),
                        texts(fs, "include"), texts(fs, "exclude")));
            }
            return new ProjectTemplate(root, defaults, sets);
        } catch (IOException | URISyntaxException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("the Weft service template could not be read: " + e.getMessage(), e);
        }
    }

    private static Path path(URI uri) throws IOException {
        if ("jar".equals(uri.getScheme())) {
            FileSystem fs;
            try {
                fs = FileSystems.newFileSystem(uri, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                fs = FileSystems.getFileSystem(uri);
            }
            return fs.provider().getPath(uri);
        }
        return Path.of(uri);
    }

    private static List<Element> elements(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagName(name);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static List<String> texts(Element parent, String name) {
        return elements(parent, name).stream().map(e -> e.getTextContent().strip()).toList();
    }

    /**
     * The template's properties and their defaults ({@code null}: no default).
     *
     * @return the properties, in the descriptor's order
     */
    public Map<String, String> defaults() {
        return defaults;
    }

    /**
     * Every file the template writes, with its target path for {@code packageName}.
     *
     * @param packageName the Java package ({@code packaged} file sets go under its directory)
     * @return the entries, the project's pom first
     */
    List<Entry> entries(String packageName) {
        List<Entry> out = new ArrayList<>();
        out.add(new Entry("pom.xml", root.resolve("pom.xml"), true));
        String packagePath = packageName.replace('.', '/');
        for (FileSet fs : fileSets) {
            Path dir = fs.directory().isEmpty() ? root : root.resolve(fs.directory());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path file : files) {
                String rel = dir.relativize(file).toString().replace('\\', '/');
                if (!matchesAny(rel, fs.includes()) || matchesAny(rel, fs.excludes())) {
                    continue;
                }
                String target = (fs.directory().isEmpty() ? "" : fs.directory() + "/") + (fs.packaged() ? packagePath + "/" : "") + rel;
                if (!target.equals("pom.xml")) {
                    out.add(new Entry(target, file, fs.filtered()));
                }
            }
        }
        return out;
    }

    /** Ant-style: {@code **} any number of directories, {@code *} any name part, {@code ?} one character. */
    static boolean matchesAny(String path, List<String> patterns) {
        for (String p : patterns) {
            if (antRegex(p).matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern antRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (pattern.startsWith("**/", i)) {
                re.append("(?:.*/)?");
                i += 2;
            } else if (pattern.startsWith("**", i)) {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /**
     * Writes the project into {@code dir}.
     *
     * @param dir the project directory (created; must not hold files)
     * @param properties every property of {@link #defaults()} (those missing take their defaults)
     * @return the files written, relative to {@code dir}
     * @throws IOException if a file cannot be written
     * @throws IllegalArgumentException if a property without a default is missing
     */
    public List<String> generate(Path dir, Map<String, String> properties) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        defaults.forEach((k, v) -> props.put(k, properties.getOrDefault(k, v)));
        properties.forEach(props::putIfAbsent);
        for (Map.Entry<String, String> e : props.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("the template needs a value for '" + e.getKey() + "'");
            }
        }
        List<String> written = new ArrayList<>();
        for (Entry e : entries(props.get("package"))) {
            String target = renameFile(e.target(), props);
            Path out = dir.resolve(target);
            Files.createDirectories(out.getParent());
            byte[] bytes = Files.readAllBytes(e.source());
            if (e.filtered()) {
                bytes = render(new String(bytes, StandardCharsets.UTF_8), props).getBytes(StandardCharsets.UTF_8);
            }
            Files.write(out, bytes);
            if (bytes.length > 1 && bytes[0] == '#' && bytes[1] == '!') {
                try {
                    Set<PosixFilePermission> perms = new java.util.HashSet<>(Files.getPosixFilePermissions(out));
                    perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
                    Files.setPosixFilePermissions(out, perms);
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system (Windows): nothing to mark
                }
            }
            written.add(target);
        }
        return written;
    }

    private static String renameFile(String path, Map<String, String> props) {
        String out = path;
        for (Map.Entry<String, String> e : props.entrySet()) {
            out = out.replace("__" + e.getKey() + "__", e.getValue());
        }
        return out;
    }

    /**
     * Replaces {@code ${key}} for every key in {@code props}; leaves any other {@code ${...}} as it is.
     *
     * @param text a filtered template file
     * @param props the properties
     * @return the rendered text
     */
    static String render(String text, Map<String, String> props) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String v = props.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(v != null ? v : m.group()));
        }
        return m.appendTail(sb).toString();
    }

    /**
     * The places in the filtered template files where Velocity (what {@code mvn archetype:generate}
     * renders with) and {@link #render} would differ: a directive or comment ({@code #set}, {@code ##}...),
     * a {@code $} not starting {@code ${name}}, or a {@code ${a.b}} whose {@code a} is a property.
     *
     * @return one line per problem, {@code file:line: what}; empty when the two agree
     */
    public List<String> velocityProblems() {
        List<String> problems = new ArrayList<>();
        for (Entry e : entries("p")) {
            if (!e.filtered()) {
                continue;
            }
            List<String> lines;
            try {
                lines = Files.readAllLines(e.source(), StandardCharsets.UTF_8);
            } catch (IOException x) {
                throw new UncheckedIOException(x);
            }
            for (int i = 0; i < lines.size(); i++) {
                for (String p : lineProblems(lines.get(i), defaults.keySet())) {
                    problems.add(root.relativize(e.source()) + ":" + (i + 1) + ": " + p);
                }
            }
        }
        return problems;
    }

    /**
     * Where Velocity and {@link #render} would differ on one line of a filtered file.
     *
     * @param line the line
     * @param properties the template's property names
     * @return the problems, empty if none
     */
    static List<String> lineProblems(String line, Set<String> properties) {
        List<String> problems = new ArrayList<>();
        Matcher d = DIRECTIVE.matcher(line);
        if (d.find()) {
            problems.add("Velocity syntax '" + d.group() + "' (only ${property} is supported)");
        }
        for (int at = line.indexOf('$'); at >= 0; at = line.indexOf('$', at + 1)) {
            Matcher r = REFERENCE.matcher(line).region(at, line.length());
            if (!r.lookingAt()) {
                problems.add("a '$' that is not ${name}");
            } else if (r.group(1).contains(".") && properties.contains(r.group(1).substring(0, r.group(1).indexOf('.')))) {
                problems.add("'" + r.group() + "' would be a property access in Velocity");
            }
        }
        return problems;
    }
}
