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
         * The default. Every file is first matched on imports and declared names (with the class
         * path's types, when there is one), and the files where attribution could change the answer
         * (a finding, or an unresolved call in a context that matters) are then attributed against
         * the JDK and the class path (given, or detected). ADR 0112: with a class path this used to
         * attribute every file, at several times the cost, for the same findings.
         */
        AUTO,
        /** Never run javac attribution: parse, then match on imports and declared names. Fastest. */
        PARSE_ONLY,
        /** Attribute every file. */
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

        /**
         * Parses {@code include}, {@code lower} or {@code exclude}, case-insensitively.
         *
         * @param s the value of {@code --tests}
         * @return the matching choice
         * @throws IllegalArgumentException "--tests must be include, lower or exclude, got 'S'"
         */
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

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What to do with test sources; default {@link Tests#LOWER}.
     *
     * @return the choice for test sources
     */
    public Tests tests() {
        return tests;
    }

    /**
     * Files, directories (searched for {@code *.java}) and source archives ({@code .jar}, {@code .zip}).
     *
     * @return an unmodifiable list of the paths to scan, never empty
     */
    public List<Path> paths() {
        return paths;
    }

    /**
     * Glob patterns ({@code java.nio.file.PathMatcher} syntax) of files not to scan, matched against
     * the displayed path, e.g. {@code **}{@code /src/test/resources/**}; empty by default.
     *
     * @return an unmodifiable list of the glob patterns
     */
    public List<String> excludes() {
        return excludes;
    }

    /**
     * Explicit class path entries; empty by default.
     *
     * @return an unmodifiable list of the entries
     */
    public List<Path> classpath() {
        return classpath;
    }

    /**
     * Whether a Maven project's {@code target/classes} and dependencies are added to the class path (default true).
     *
     * @return {@code true} if the class path is detected
     */
    public boolean detectClasspath() {
        return detectClasspath;
    }

    /**
     * How calls are resolved; default {@link Mode#AUTO}.
     *
     * @return the mode
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The report's format; default {@link OutputFormat#TEXT}.
     *
     * @return the format
     */
    public OutputFormat format() {
        return format;
    }

    /**
     * The rules that run: {@code --select} (default: every rule enabled by default) minus {@code --ignore}.
     *
     * @return an unmodifiable set of the rules
     */
    public Set<Rule> rules() {
        return rules;
    }

    /**
     * The Java release the code runs on (default: this JDK's); gates {@link Rule#WEFT201}.
     *
     * @return the feature release, e.g. 25
     */
    public int release() {
        return release;
    }

    /**
     * Catalogue files whose entries are added to the built-in blocking-API catalogue; empty by default.
     *
     * @return an unmodifiable list of the files
     */
    public List<Path> blockingApiFiles() {
        return blockingApiFiles;
    }

    /**
     * A baseline whose findings are not reported, or null.
     *
     * @return the baseline file, or null
     */
    public Path baseline() {
        return baseline;
    }

    /**
     * Where to write a baseline of this scan's findings, or null.
     *
     * @return the file to write, or null
     */
    public Path writeBaseline() {
        return writeBaseline;
    }

    /**
     * Where to write the report, or null for standard output.
     *
     * @return the report file, or null
     */
    public Path output() {
        return output;
    }

    /**
     * Worker threads (default: available processors).
     *
     * @return the number of worker threads, at least 1
     */
    public int threads() {
        return threads;
    }

    /**
     * Paths are reported relative to this directory when under it (default: the current directory).
     *
     * @return the absolute directory
     */
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

        /**
         * Adds a file, a directory (searched for {@code *.java}) or a source archive to scan.
         *
         * @param p the path
         * @return this builder
         */
        public Builder path(Path p) {
            paths.add(Objects.requireNonNull(p, "path"));
            return this;
        }

        /**
         * Adds every path of {@code ps}, as {@link #path(Path)} does.
         *
         * @param ps the paths
         * @return this builder
         */
        public Builder paths(List<Path> ps) {
            ps.forEach(this::path);
            return this;
        }

        /**
         * Leaves out the files whose displayed path matches {@code glob} (a
         * {@link java.nio.file.FileSystem#getPathMatcher glob} pattern); repeatable.
         *
         * @param glob the pattern, e.g. {@code **}{@code /generated/**}
         * @return this builder
         * @throws IllegalArgumentException "bad --exclude pattern 'P': why"
         */
        public Builder exclude(String glob) {
            try {
                java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + glob);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad --exclude pattern '" + glob + "': " + e.getMessage(), e);
            }
            excludes.add(glob);
            return this;
        }

        /**
         * Adds class path entries (jars or class directories) for attribution.
         *
         * @param entries the entries
         * @return this builder
         */
        public Builder classpath(List<Path> entries) {
            entries.forEach(e -> classpath.add(Objects.requireNonNull(e, "classpath entry")));
            return this;
        }

        /**
         * Whether a Maven project's {@code target/classes} and dependencies are added to the class
         * path (default true).
         *
         * @param detect {@code false} to use only the explicit class path
         * @return this builder
         */
        public Builder detectClasspath(boolean detect) {
            this.detectClasspath = detect;
            return this;
        }

        /**
         * How calls are resolved (default {@link Mode#AUTO}).
         *
         * @param m the mode
         * @return this builder
         */
        public Builder mode(Mode m) {
            this.mode = Objects.requireNonNull(m, "mode");
            return this;
        }

        /**
         * The report's format (default {@link OutputFormat#TEXT}).
         *
         * @param f the format
         * @return this builder
         */
        public Builder format(OutputFormat f) {
            this.format = Objects.requireNonNull(f, "format");
            return this;
        }

        /**
         * Rules to run: ids ({@code WEFT101}), slugs, id prefixes ({@code WEFT1}) or {@code ALL}.
         *
         * @param selectors the selectors, as given to {@code --select}
         * @return this builder
         * @throws IllegalArgumentException "unknown rule 'X' in --select; ids look like WEFT101 (see docs/scan)"
         */
        public Builder select(List<String> selectors) {
            for (String s : selectors) {
                check(s, "--select");
                select.add(s);
            }
            return this;
        }

        /**
         * Rules not to run; same syntax as {@link #select}.
         *
         * @param selectors the selectors, as given to {@code --ignore}
         * @return this builder
         * @throws IllegalArgumentException "unknown rule 'X' in --ignore; ids look like WEFT101 (see docs/scan)"
         */
        public Builder ignore(List<String> selectors) {
            for (String s : selectors) {
                check(s, "--ignore");
                ignore.add(s);
            }
            return this;
        }

        /**
         * The Java release the scanned code runs on.
         *
         * @param r the feature release, from 8 to this JDK's
         * @return this builder
         * @throws IllegalArgumentException "--release must be between 8 and N, got R"
         */
        public Builder release(int r) {
            int max = Runtime.version().feature();
            if (r < 8 || r > max) {
                throw new IllegalArgumentException("--release must be between 8 and " + max + ", got " + r);
            }
            this.release = r;
            return this;
        }

        /**
         * Adds the entries of a blocking-API catalogue file to the built-in catalogue (see
         * {@code docs/scan/catalogue.md}); repeatable, entries are never removed.
         *
         * @param file the catalogue file
         * @return this builder
         */
        public Builder blockingApi(Path file) {
            blockingApiFiles.add(Objects.requireNonNull(file, "blocking-api file"));
            return this;
        }

        /**
         * A baseline whose findings are not reported (default: none).
         *
         * @param file the baseline file, or null for none
         * @return this builder
         */
        public Builder baseline(Path file) {
            this.baseline = file;
            return this;
        }

        /**
         * Where to write a baseline of this scan's findings (default: nowhere).
         *
         * @param file the file to write, or null for none
         * @return this builder
         */
        public Builder writeBaseline(Path file) {
            this.writeBaseline = file;
            return this;
        }

        /**
         * Where to write the report (default: standard output).
         *
         * @param file the report file, or null for standard output
         * @return this builder
         */
        public Builder output(Path file) {
            this.output = file;
            return this;
        }

        /**
         * The number of worker threads.
         *
         * @param n the thread count, at least 1
         * @return this builder
         * @throws IllegalArgumentException "--threads must be at least 1, got N"
         */
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

        /**
         * The directory reported paths are relative to when they are under it (default: the current
         * directory).
         *
         * @param dir the directory; made absolute
         * @return this builder
         */
        public Builder workingDirectory(Path dir) {
            this.workingDirectory = dir.toAbsolutePath();
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the immutable options
         * @throws IllegalArgumentException "no paths to scan"
         */
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
