package dev.weft.scan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a scan needs to know. Immutable; build with {@link #builder()}. The {@code weft scan}
 * command maps its options one to one onto the builder, so the validation messages below are the
 * ones users see.
 */
public final class ScanOptions {

    /** How calls are resolved (ADR 0102 has the speed of each). */
    public enum Mode {
        /**
         * The default. With a class path (given, or detected from a Maven project) every file is
         * attributed. Without one, every file is first matched on imports and declared names, and
         * the files where attribution could change the answer (a finding, or an unresolved call in
         * a context that matters) are then attributed against the JDK.
         */
        AUTO,
        /** Never run javac attribution: parse, then match on imports and declared names. Fastest. */
        PARSE_ONLY,
        /** Attribute every file, class path or not. */
        ATTRIBUTE
    }

    /**
     * What to do with test sources (ADR 0104). A file is a test source when its path has a
     * {@code src/test/} or {@code src/<name>Test<...>/} directory (Maven and Gradle layouts, e.g.
     * {@code src/integrationTest/java}), or a {@code test/} or {@code tests/} directory above its
     * package, or it imports JUnit or TestNG.
     */
    public enum Tests {
        /** Scan test sources like any other (WEFT305, sleep in a test, only fires here). */
        INCLUDE,
        /**
         * The default: scan them, but report their findings one severity lower (error becomes
         * warning, warning becomes info), except WEFT305, whose subject is tests.
         */
        LOWER,
        /** Do not scan test sources at all. */
        EXCLUDE;

        /** Parses {@code include}, {@code lower} or {@code exclude}, case-insensitively. */
        public static Tests parse(String s) {
            for (Tests t : values()) {
                if (t.name().equalsIgnoreCase(s.trim())) {
                    return t;
                }
            }
            throw new IllegalArgumentException("--tests must be include, lower or exclude, got '" + s + "'");
        }
    }

    private final List<Path> paths;
    private final Tests tests;
    private final List<String> excludes;
    private final List<Path> classpath;
    private final boolean detectClasspath;
    private final Mode mode;
    private final OutputFormat format;
    private final Set<Rule> rules;
    private final int release;
    private final List<Path> blockingApiFiles;
    private final Path baseline;
    private final Path writeBaseline;
    private final Path output;
    private final int threads;
    private final Path workingDirectory;

    private ScanOptions(Builder b) {
        this.paths = List.copyOf(b.paths);
        this.tests = b.tests;
        this.excludes = List.copyOf(b.excludes);
        this.classpath = List.copyOf(b.classpath);
        this.detectClasspath = b.detectClasspath;
        this.mode = b.mode;
        this.format = b.format;
        this.rules = Set.copyOf(b.computeRules());
        this.release = b.release;
        this.blockingApiFiles = List.copyOf(b.blockingApiFiles);
        this.baseline = b.baseline;
        this.writeBaseline = b.writeBaseline;
        this.output = b.output;
        this.threads = b.threads;
        this.workingDirectory = b.workingDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to do with test sources; default {@link Tests#LOWER}. */
    public Tests tests() {
        return tests;
    }

    /** Files, directories (searched for {@code *.java}) and source archives ({@code .jar}, {@code .zip}). */
    public List<Path> paths() {
        return paths;
    }

    /**
     * Glob patterns ({@code java.nio.file.PathMatcher} syntax) of files not to scan, matched against
     * the displayed path, e.g. {@code **}{@code /src/test/resources/**}; empty by default.
     */
    public List<String> excludes() {
        return excludes;
    }

    /** Explicit class path entries; empty by default. */
    public List<Path> classpath() {
        return classpath;
    }

    /** Whether a Maven project's {@code target/classes} and dependencies are added to the class path (default true). */
    public boolean detectClasspath() {
        return detectClasspath;
    }

    public Mode mode() {
        return mode;
    }

    public OutputFormat format() {
        return format;
    }

    /** The rules that run: {@code --select} (default: every rule enabled by default) minus {@code --ignore}. */
    public Set<Rule> rules() {
        return rules;
    }

    /** The Java release the code runs on (default: this JDK's); gates {@link Rule#WEFT201}. */
    public int release() {
        return release;
    }

    public List<Path> blockingApiFiles() {
        return blockingApiFiles;
    }

    /** A baseline whose findings are not reported, or null. */
    public Path baseline() {
        return baseline;
    }

    /** Where to write a baseline of this scan's findings, or null. */
    public Path writeBaseline() {
        return writeBaseline;
    }

    /** Where to write the report, or null for standard output. */
    public Path output() {
        return output;
    }

    /** Worker threads (default: available processors). */
    public int threads() {
        return threads;
    }

    /** Paths are reported relative to this directory when under it (default: the current directory). */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** Builds {@link ScanOptions}; every setter validates at once and says exactly what is wrong. */
    public static final class Builder {
        private final List<Path> paths = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final List<Path> classpath = new ArrayList<>();
        private boolean detectClasspath = true;
        private Mode mode = Mode.AUTO;
        private Tests tests = Tests.LOWER;
        private OutputFormat format = OutputFormat.TEXT;
        private final List<String> select = new ArrayList<>();
        private final List<String> ignore = new ArrayList<>();
        private int release = Runtime.version().feature();
        private final List<Path> blockingApiFiles = new ArrayList<>();
        private Path baseline;
        private Path writeBaseline;
        private Path output;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Path workingDirectory = Path.of("").toAbsolutePath();

        private Builder() {
        }

        public Builder path(Path p) {
            paths.add(Objects.requireNonNull(p, "path"));
            return this;
        }

        public Builder paths(List<Path> ps) {
            ps.forEach(this::path);
            return this;
        }

        /** @throws IllegalArgumentException "bad --exclude pattern 'P': why" */
        public Builder exclude(String glob) {
            try {
                java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad --exclude pattern '" + glob + "': " + e.getMessage(), e);
            }
            excludes.add(glob);
            return this;
        }

        public Builder classpath(List<Path> entries) {
            entries.forEach(e -> classpath.add(Objects.requireNonNull(e, "classpath entry")));
            return this;
        }

        public Builder detectClasspath(boolean detect) {
            this.detectClasspath = detect;
            return this;
        }

        public Builder mode(Mode m) {
            this.mode = Objects.requireNonNull(m, "mode");
            return this;
        }

        public Builder format(OutputFormat f) {
            this.format = Objects.requireNonNull(f, "format");
            return this;
        }

        /**
         * Rules to run: ids ({@code WEFT101}), slugs, id prefixes ({@code WEFT1}) or {@code ALL}.
         *
         * @throws IllegalArgumentException "unknown rule 'X' in --select; ids look like WEFT101 (see docs/scan)"
         */
        public Builder select(List<String> selectors) {
            for (String s : selectors) {
                check(s, "--select");
                select.add(s);
            }
            return this;
        }

        /** Rules not to run; same syntax as {@link #select}. */
        public Builder ignore(List<String> selectors) {
            for (String s : selectors) {
                check(s, "--ignore");
                ignore.add(s);
            }
            return this;
        }

        /** @throws IllegalArgumentException "--release must be between 8 and N, got R" */
        public Builder release(int r) {
            int max = Runtime.version().feature();
            if (r < 8 || r > max) {
                throw new IllegalArgumentException("--release must be between 8 and " + max + ", got " + r);
            }
            this.release = r;
            return this;
        }

        public Builder blockingApi(Path file) {
            blockingApiFiles.add(Objects.requireNonNull(file, "blocking-api file"));
            return this;
        }

        public Builder baseline(Path file) {
            this.baseline = file;
            return this;
        }

        public Builder writeBaseline(Path file) {
            this.writeBaseline = file;
            return this;
        }

        public Builder output(Path file) {
            this.output = file;
            return this;
        }

        /** @throws IllegalArgumentException "--threads must be at least 1, got N" */
        public Builder threads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + n);
            }
            this.threads = n;
            return this;
        }

        /**
         * What to do with test sources.
         *
         * @param t include, lower (the default) or exclude
         * @return this builder
         */
        public Builder tests(Tests t) {
            this.tests = java.util.Objects.requireNonNull(t, "tests");
            return this;
        }

        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir.toAbsolutePath();
            return this;
        }

        /** @throws IllegalArgumentException "no paths to scan" */
        public ScanOptions build() {
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("no paths to scan");
            }
            return new ScanOptions(this);
        }

        private static void check(String selector, String option) {
            if (matching(selector).isEmpty()) {
                throw new IllegalArgumentException("unknown rule '" + selector + "' in " + option
                        + "; ids look like WEFT101 (see docs/scan)");
            }
        }

        private static Set<Rule> matching(String selector) {
            String s = selector.trim().toUpperCase(Locale.ROOT);
            EnumSet<Rule> out = EnumSet.noneOf(Rule.class);
            if (s.equals("ALL")) {
                return EnumSet.allOf(Rule.class);
            }
            Rule.find(selector).ifPresent(out::add);
            if (out.isEmpty() && s.startsWith("WEFT") && s.length() > 4) {
                for (Rule r : Rule.values()) {
                    if (r.id().startsWith(s)) {
                        out.add(r);
                    }
                }
            }
            return out;
        }

        private Set<Rule> computeRules() {
            EnumSet<Rule> rules = EnumSet.noneOf(Rule.class);
            if (select.isEmpty()) {
                for (Rule r : Rule.values()) {
                    if (r.enabledByDefault()) {
                        rules.add(r);
                    }
                }
            } else {
                for (String s : select) {
                    rules.addAll(matching(s));
                }
            }
            for (String s : ignore) {
                rules.removeAll(matching(s));
            }
            return rules;
        }
    }
}
