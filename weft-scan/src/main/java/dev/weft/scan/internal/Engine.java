package dev.weft.scan.internal;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.Trees;
import dev.weft.scan.Confidence;
import dev.weft.scan.FileError;
import dev.weft.scan.Finding;
import dev.weft.scan.Rule;
import dev.weft.scan.ScanOptions;
import dev.weft.scan.ScanResult;
import dev.weft.scan.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.zip.ZipFile;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticListener;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Runs a scan: collects sources, parses (and attributes) them in chunks on worker threads, runs an
 * {@link Analysis} per unit, then fingerprints, suppresses by baseline and sorts.
 *
 * <p>Design: javac is single-threaded per task, so each worker owns its compiler objects and a
 * {@link TypeIndex} over the JDK's class files; chunks bound memory (a task keeps every tree of its
 * chunk). Attribution is per chunk, so a type declared in another chunk of the same project does
 * not resolve and falls back to name matching, which is what parse-only mode does everywhere.
 */
public final class Engine {
    private static final int PARSE_CHUNK = 600;
    private static final int ATTR_CHUNK = 300;
    /** Chunks per thread in the attribution pass: a little dynamic balance for one more javac task each. */
    private static final int ATTR_CHUNKS_PER_THREAD = 2;

    private Engine() {
    }

    /** Scans; throws {@link IllegalArgumentException} for bad input (unreadable paths, bad catalogue). */
    public static ScanResult scan(ScanOptions o) {
        Catalogue cat = Catalogue.load(o.blockingApiFiles());
        List<Sources.Source> sources = Sources.collect(o.paths(), o.workingDirectory(), o.excludes());
        if (o.tests() == ScanOptions.Tests.EXCLUDE) {
            sources = new ArrayList<>(sources);
            sources.removeIf(Sources.Source::isTest);
        }
        List<Path> cp = new ArrayList<>(o.classpath());
        if (o.detectClasspath() && o.mode() != ScanOptions.Mode.PARSE_ONLY) {
            cp.addAll(MavenClasspath.detect(o.paths()));
            cp.addAll(GradleClasspath.detect(o.paths()));
        }
        // AUTO: match every unit on names first (fast; with the class path's types when there is
        // one), then attribute only the units where attribution could change the answer (ADR 0102;
        // with a class path too since ADR 0112; calls on classes that nothing attributed declares are
        // left out since ADR 0113). ATTRIBUTE attributes everything.
        boolean attributeAll = o.mode() == ScanOptions.Mode.ATTRIBUTE;
        boolean attributeUncertain = o.mode() == ScanOptions.Mode.AUTO;
        Set<Rule> rules = o.rules();
        Workers workers = new Workers(() -> new Worker(cat, cp, rules, o.release(), o.tests()));
        Map<Sources.Source, FileResult> byFile = new LinkedHashMap<>();
        for (FileResult r : runAll(sources, s -> 1, attributeAll, o.threads(), workers)) {
            byFile.put(r.source(), r);
        }
        int attributedFiles = attributeAll ? sources.size() : 0;
        if (attributeUncertain) {
            Set<Sources.Source> worth = worthAttributing(byFile.values());
            List<Sources.Source> again = new ArrayList<>();
            Map<Sources.Source, Long> lines = new HashMap<>();
            for (FileResult r : byFile.values()) {
                if (worth.contains(r.source())) {
                    again.add(r.source());
                    lines.put(r.source(), r.lines());
                }
            }
            for (FileResult r : runAll(again, lines::get, true, o.threads(), workers)) {
                byFile.put(r.source(), r);
            }
            attributedFiles = again.size();
        }
        List<Finding> findings = new ArrayList<>();
        List<FileError> errors = new ArrayList<>();
        long lines = 0;
        int suppressed = 0;
        // WEFT303 on a method whose every call, across its module, is the last thing a process does
        Map<String, Tails.Calls> byModule = new HashMap<>();
        for (FileResult r : byFile.values()) {
            if (r.calls() != null) {
                byModule.computeIfAbsent(module(r.source().display), k -> new Tails.Calls()).addAll(r.calls());
            }
        }
        for (FileResult r : byFile.values()) {
            Tails.Calls calls = byModule.get(module(r.source().display));
            for (Finding f : r.findings()) {
                String unless = r.conditions().get(f);
                if (unless != null && calls != null && calls.onlyEndsProcess(unless)) {
                    suppressed++;
                    continue;
                }
                findings.add(f);
            }
            if (r.error() != null) {
                errors.add(r.error());
            }
            lines += r.lines();
            suppressed += r.suppressed();
        }
        if (o.baseline() != null) {
            int before = findings.size();
            findings = Baseline.filter(findings, Baseline.read(o.baseline()));
            suppressed += before - findings.size();
        }
        findings.sort(Comparator.comparing(Finding::path).thenComparingInt(Finding::line)
                .thenComparingInt(Finding::column).thenComparing(Finding::rule));
        errors.sort(Comparator.comparing(FileError::path));
        return new ScanResult(findings, errors, sources.size(), lines, attributedFiles, suppressed);
    }

    /**
     * The files of the name pass worth attributing: every uncertain one, and every one with an
     * unresolved call on a class (named in the source) that a file worth attributing declares, until
     * no more are added. A class from a package that no module of the JDK or the class path has and
     * that no attributed file declares resolves in no attribution task, so attributing a file for
     * such calls alone gives the name pass's answer again (ADR 0113).
     */
    private static Set<Sources.Source> worthAttributing(java.util.Collection<FileResult> results) {
        Set<Sources.Source> worth = new HashSet<>();
        Set<String> declared = new HashSet<>();
        List<FileResult> open = new ArrayList<>();
        for (FileResult r : results) {
            if (r.uncertain()) {
                worth.add(r.source());
                declared.addAll(r.classNames());
            } else if (!r.uncertainIfDeclared().isEmpty()) {
                open.add(r);
            }
        }
        boolean added = true;
        while (added) {
            added = false;
            for (java.util.Iterator<FileResult> it = open.iterator(); it.hasNext(); ) {
                FileResult r = it.next();
                if (r.uncertainIfDeclared().stream().anyMatch(declared::contains)) {
                    it.remove();
                    worth.add(r.source());
                    added |= declared.addAll(r.classNames());
                }
            }
        }
        return worth;
    }

    /** The module a source belongs to: its path up to {@code src/} (Maven and Gradle layouts), else "". */
    static String module(String display) {
        String d = display.replace('\\', '/');
        int at = d.lastIndexOf("/src/");
        return at >= 0 ? d.substring(0, at) : "";
    }

    /**
     * The workers of one scan, kept from the name-matching pass to the attribution pass: a worker's
     * compiler, file manager and type index (with its caches) cost seconds to build and warm, so a
     * pass takes an idle one and gives it back instead of building one per thread (ADR 0112).
     */
    private static final class Workers {
        private final Supplier<Worker> make;
        private final ConcurrentLinkedQueue<Worker> idle = new ConcurrentLinkedQueue<>();

        Workers(Supplier<Worker> make) {
            this.make = make;
        }

        List<FileResult> run(List<Sources.Source> chunk, boolean attribute) {
            Worker w = idle.poll();
            if (w == null) {
                w = make.get();
            }
            try {
                return w.run(chunk, attribute);
            } finally {
                idle.add(w);
            }
        }
    }

    /** Below this many files a thread gets no share of a pass (a worker's set-up would cost more). */
    private static final int MIN_SPLIT = 16;

    /**
     * Runs one pass. {@code weight} estimates a file's cost (its lines, once known): the files are cut,
     * in order (so that a package's files stay together and resolve each other), into chunks of
     * about equal weight, at least one per thread, a few per thread in the attribution pass so that
     * a thread that finishes early takes the next chunk.
     */
    private static List<FileResult> runAll(List<Sources.Source> sources, ToLongFunction<Sources.Source> weight,
                                           boolean attribute, int maxThreads, Workers workers) {
        if (sources.isEmpty()) {
            return List.of();
        }
        int chunkSize = attribute ? ATTR_CHUNK : PARSE_CHUNK;
        // every thread gets work once there are a few files each: the attribution pass often has fewer
        // files than one chunk, and ran on one thread when the thread count came from the chunk size
        int threads = Math.max(1, Math.min(maxThreads, Math.max((sources.size() + chunkSize - 1) / chunkSize,
                sources.size() / MIN_SPLIT)));
        int parts = Math.max((sources.size() + chunkSize - 1) / chunkSize,
                Math.min(threads * (attribute ? ATTR_CHUNKS_PER_THREAD : 1), sources.size() / MIN_SPLIT));
        parts = Math.max(parts, threads);
        long total = 0;
        for (Sources.Source s : sources) {
            total += Math.max(1, weight.applyAsLong(s));
        }
        long target = (total + parts - 1) / parts;
        List<List<Sources.Source>> chunks = new ArrayList<>();
        int from = 0;
        long acc = 0;
        for (int i = 0; i < sources.size(); i++) {
            acc += Math.max(1, weight.applyAsLong(sources.get(i)));
            if (acc >= target || i + 1 - from >= chunkSize || i == sources.size() - 1) {
                chunks.add(sources.subList(from, i + 1));
                from = i + 1;
                acc = 0;
            }
        }
        List<FileResult> results = new ArrayList<>();
        if (threads <= 1) {
            for (List<Sources.Source> c : chunks) {
                results.addAll(workers.run(c, attribute));
            }
            return results;
        }
        // CPU-bound compiler work: a small fixed pool of platform threads is the right tool here.
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<List<FileResult>>> fs = new ArrayList<>();
            for (List<Sources.Source> c : chunks) {
                fs.add(pool.submit(() -> workers.run(c, attribute)));
            }
            for (Future<List<FileResult>> f : fs) {
                results.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("scan interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
        return results;
    }

    /** What one file gave: findings, or the error that stopped it; {@code uncertain}: worth attributing. */
    private record FileResult(Sources.Source source, List<Finding> findings, FileError error, long lines,
                              int suppressed, boolean uncertain, Map<Finding, String> conditions,
                              Tails.Calls calls, Set<String> classNames, Set<String> uncertainIfDeclared) {
        FileResult(Sources.Source source, List<Finding> findings, FileError error, long lines, int suppressed,
                   boolean uncertain) {
            this(source, findings, error, lines, suppressed, uncertain, Map.of(), null, Set.of(), Set.of());
        }
    }

    /** One per thread: the compiler, a file manager and the JDK type index. */
    private static final class Worker {
        private final Catalogue cat;
        private final List<Path> cp;
        private final Set<Rule> rules;
        private final int release;
        private final ScanOptions.Tests tests;
        private final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        private final StandardJavaFileManager fm;
        private final TypeIndex jdk;

        Worker(Catalogue cat, List<Path> cp, Set<Rule> rules, int release, ScanOptions.Tests tests) {
            this.cat = cat;
            this.tests = tests;
            this.cp = cp;
            this.rules = rules;
            this.release = release;
            if (compiler == null) {
                throw new IllegalStateException("no Java compiler: weft scan needs a JDK, not a JRE");
            }
            this.fm = compiler.getStandardFileManager(d -> { }, Locale.ROOT, StandardCharsets.UTF_8);
            try {
                fm.setLocationFromPaths(StandardLocation.CLASS_PATH, cp);
            } catch (IOException e) {
                throw new IllegalArgumentException("bad class path: " + e.getMessage(), e);
            }
            JavacTask lookup = (JavacTask) compiler.getTask(null, fm, d -> { }, List.of("-proc:none"), null, List.of());
            this.jdk = new TypeIndex(lookup.getElements(), lookup.getTypes());
        }

        List<FileResult> run(List<Sources.Source> chunk, boolean attribute) {
            preload(chunk);
            Map<java.net.URI, Diagnostic<? extends JavaFileObject>> parseErrors = new HashMap<>();
            Map<java.net.URI, Sources.Source> byUri = new HashMap<>();
            for (Sources.Source s : chunk) {
                byUri.put(s.toUri(), s);
            }
            boolean[] parsing = {true};
            DiagnosticListener<JavaFileObject> dl = d -> {
                if (parsing[0] && d.getKind() == Diagnostic.Kind.ERROR && d.getSource() != null) {
                    parseErrors.putIfAbsent(d.getSource().toUri(), d);
                }
            };
            List<String> opts = new ArrayList<>(List.of("-proc:none", "-implicit:none", "-Xlint:none", "-nowarn",
                    "-Xmaxerrs", "100000", "-XDshould-stop.ifError=ATTR", "-XDshould-stop.ifNoError=ATTR"));
            List<JavaFileObject> files = new ArrayList<>(chunk);
            if (attribute) {
                files.addAll(missingPackages(chunk));
            }
            JavacTask task = (JavacTask) compiler.getTask(null, fm, dl, opts, null, files);
            List<FileResult> results = new ArrayList<>();
            List<CompilationUnitTree> units = new ArrayList<>();
            try {
                task.parse().forEach(units::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                for (Sources.Source s : chunk) {
                    results.add(new FileResult(s, List.of(), new FileError(s.display, 0, 0, "javac failed: " + e),
                            0, 0, false));
                }
                return results;
            }
            parsing[0] = false;
            javax.lang.model.util.Types attrTypes = null;
            if (attribute) {
                try {
                    task.analyze();
                    attrTypes = task.getTypes();
                } catch (RuntimeException | Error e) {
                    Analysis.rethrowIfFatal(e);
                    // attribution is best effort: trees it did not reach fall back to name matching
                    attrTypes = task.getTypes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Trees trees = Trees.instance(task);
            for (CompilationUnitTree unit : units) {
                Sources.Source src = byUri.get(unit.getSourceFile().toUri());
                if (src == null) {
                    continue; // a package declared by missingPackages
                }
                CharSequence text;
                try {
                    text = src.getCharContent(true);
                } catch (IOException e) {
                    results.add(new FileResult(src, List.of(), new FileError(src.display, 0, 0,
                            "cannot read: " + e.getMessage()), 0, 0, false));
                    continue;
                }
                long lines = countLines(text);
                Diagnostic<? extends JavaFileObject> pe = parseErrors.get(src.toUri());
                if (pe != null) {
                    results.add(new FileResult(src, List.of(), new FileError(src.display, pe.getLineNumber(),
                            pe.getColumnNumber(), pe.getMessage(Locale.ROOT)), lines, 0, false));
                    continue;
                }
                List<RawFinding> raw = new ArrayList<>();
                Analysis a = new Analysis(unit, trees, attrTypes, cat, jdk, rules, release, src.isTest(), text, raw);
                try {
                    a.run();
                } catch (RuntimeException | Error e) {
                    Analysis.rethrowIfFatal(e);
                    // attribution broke javac's state for this unit (it happens on the JDK's own
                    // java.lang sources): scan it again on names only
                    raw.clear();
                    a = new Analysis(unit, trees, null, cat, jdk, rules, release, src.isTest(), text, raw);
                    try {
                        a.run();
                    } catch (RuntimeException | Error e2) {
                        Analysis.rethrowIfFatal(e2);
                        results.add(new FileResult(src, List.of(), new FileError(src.display, 0, 0,
                                "internal error while scanning: " + e2), lines, 0, false));
                        continue;
                    }
                }
                if (a.testFile && tests == ScanOptions.Tests.EXCLUDE) {
                    raw.clear(); // a test found by its imports, not its path
                }
                Map<Finding, String> conditions = new HashMap<>();
                results.add(new FileResult(src, fingerprint(src.display, raw,
                        a.testFile && tests == ScanOptions.Tests.LOWER, conditions), null, lines, a.suppressed(),
                        attrTypes == null && a.uncertain(), conditions, a.calls, a.classNames,
                        attrTypes == null ? a.uncertainIfDeclared : Set.of()));
            }
            for (Sources.Source s : chunk) {
                s.release();
            }
            return results;
        }

        /**
         * A {@code package-info} unit for each package the chunk imports from that exists in no module
         * (the JDK's or the class path's) and that no file of the chunk declares: most often the
         * scanned project's own packages, whose files are in other chunks. javac looks a class that
         * is missing from a package it has never seen up in every module of the JDK, to say where it
         * is hidden, once for every import of it: half the CPU of a scan of Kafka went there. In a
         * package it has seen, a missing class is just missing, which is the same answer (ADR 0112). So
         * too for the enclosing classes of nested-class imports from such packages (ADR 0113).
         */
        private List<JavaFileObject> missingPackages(List<Sources.Source> chunk) {
            Set<String> declared = new HashSet<>();
            Set<String> imported = new TreeSet<>();
            Set<String> enclosing = new TreeSet<>();
            for (Sources.Source s : chunk) {
                try {
                    Imports.scan(s.getCharContent(true), declared, imported, enclosing);
                } catch (IOException e) {
                    // reported when the file is parsed
                }
            }
            List<JavaFileObject> out = new ArrayList<>();
            Set<String> missing = new HashSet<>();
            for (String p : imported) {
                if (!declared.contains(p) && !jdk.packageInSomeModule(p)) {
                    out.add(new Imports.PackageInfo(p));
                    missing.add(p);
                }
            }
            // a.b.C of import a.b.C.D, when package a.b is one of those: no class a.b.C can exist
            // (no module has a.b and no file of the chunk declares it), so a package of that name
            // clashes with nothing, and javac finds D missing from it without searching every module
            for (String e : enclosing) {
                if (missing.contains(Imports.packageOf(e, false))) {
                    out.add(new Imports.PackageInfo(e));
                }
            }
            return out;
        }

        private static void preload(List<Sources.Source> chunk) {
            Map<Path, List<Sources.Source>> byArchive = new LinkedHashMap<>();
            for (Sources.Source s : chunk) {
                if (s.archive != null) {
                    byArchive.computeIfAbsent(s.archive, k -> new ArrayList<>()).add(s);
                }
            }
            for (Map.Entry<Path, List<Sources.Source>> e : byArchive.entrySet()) {
                try (ZipFile z = new ZipFile(e.getKey().toFile())) {
                    for (Sources.Source s : e.getValue()) {
                        try (InputStream in = z.getInputStream(z.getEntry(s.entry))) {
                            s.preload(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                        }
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
    }

    static long countLines(CharSequence s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return len > 0 && s.charAt(len - 1) != '\n' ? n + 1 : n;
    }

    /** Stable across line moves: rule, path, enclosing declaration, normalised line text, occurrence. */
    static List<Finding> fingerprint(String path, List<RawFinding> raw, boolean lower) {
        return fingerprint(path, raw, lower, new HashMap<>());
    }

    /** As above, and the findings that hold only unless a method ends a process, with that method. */
    static List<Finding> fingerprint(String path, List<RawFinding> raw, boolean lower, Map<Finding, String> conditions) {
        raw.sort(Comparator.comparingInt(RawFinding::line).thenComparingInt(RawFinding::column)
                .thenComparing(RawFinding::rule));
        Map<String, Integer> seen = new HashMap<>();
        List<Finding> out = new ArrayList<>(raw.size());
        for (RawFinding r : raw) {
            String basis = r.rule().id() + '\u0000' + path + '\u0000' + r.enclosing() + '\u0000'
                    + r.lineText().strip().replaceAll("\\s+", " ");
            int k = seen.merge(basis, 1, Integer::sum);
            Severity sev = lower && r.rule() != Rule.WEFT305 ? lower(r.rule().severity()) : r.rule().severity();
            Finding f = new Finding(path, r.line(), r.column(), r.rule(), r.message(),
                    r.exact() ? Confidence.HIGH : Confidence.LOW, sha(basis + '\u0000' + k), sev);
            out.add(f);
            if (r.unlessOnlyEndsProcess() != null) {
                conditions.put(f, r.unlessOnlyEndsProcess());
            }
        }
        return out;
    }

    private static Severity lower(Severity s) {
        return switch (s) {
            case ERROR -> Severity.WARNING;
            case WARNING, INFO -> Severity.INFO;
        };
    }

    private static String sha(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
