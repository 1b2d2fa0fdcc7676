package dev.weft.bench;

import dev.weft.scan.ScanOptions;
import dev.weft.scan.ScanResult;
import dev.weft.scan.WeftScan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * How fast {@code weft scan} reads a large real code base: the JDK's own {@code lib/src.zip}.
 * Not JMH: one scan is seconds long, so a warm-up scan and then one measured scan per mode are
 * enough. Prints one Markdown table row per mode on standard output (details on standard error):
 * {@code | weft scan (mode) | lines | seconds | lines/s |}. Modes: {@code parse-only} (no
 * attribution), {@code auto} (the default without a class path: names first, then attribution of
 * the files where it could change the answer) and {@code attributed} (every file attributed against
 * the JDK, as with a class path).
 *
 * <p>Usage: {@code ScanSpeed [--src PATH] [--modules m1,m2] [--threads N] [--warmup-modules m]}.
 * Defaults: {@code $JAVA_HOME/lib/src.zip}, every module, all processors, {@code java.sql} as the
 * warm-up set. With {@code --modules}, the named modules are extracted to a temporary directory.
 */
public final class ScanSpeed {
    private ScanSpeed() {
    }

    public static void main(String[] args) throws IOException {
        Path src = Path.of(System.getProperty("java.home"), "lib", "src.zip");
        List<String> modules = List.of();
        String warmup = "java.sql";
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> modes = List.of("parse-only", "auto", "attributed");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--src" -> src = Path.of(args[++i]);
                case "--modules" -> modules = List.of(args[++i].split(","));
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup-modules" -> warmup = args[++i];
                case "--modes" -> modes = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: ScanSpeed [--src PATH] [--modules m1,m2] [--threads N] [--modes parse-only,auto,attributed]");
            }
        }
        if (!Files.isRegularFile(src)) {
            throw new IllegalArgumentException("no src.zip at " + src + "; pass --src");
        }
        Path tmp = Files.createTempDirectory("weft-scan-speed");
        try {
            Path warm = extract(src, List.of(warmup.split(",")), tmp.resolve("warmup"));
            Path target = modules.isEmpty() ? src : extract(src, modules, tmp.resolve("target"));
            // stdout carries only the rows (bench/workloads/scan.sh copies them into its table)
            System.err.println("| tool | lines | seconds | lines/s |");
            System.err.println("|---|---|---|---|");
            for (String mode : modes) {
                ScanOptions.Mode m = switch (mode) {
                    case "parse-only" -> ScanOptions.Mode.PARSE_ONLY;
                    case "auto" -> ScanOptions.Mode.AUTO;
                    case "attributed" -> ScanOptions.Mode.ATTRIBUTE;
                    default -> throw new IllegalArgumentException("unknown mode " + mode);
                };
                run(warm, m, threads);
                long c0 = cpuNanos();
                long t0 = System.nanoTime();
                ScanResult r = run(target, m, threads);
                double secs = (System.nanoTime() - t0) / 1e9;
                double cpu = (cpuNanos() - c0) / 1e9;
                System.out.printf(Locale.ROOT, "| weft scan (%s) | %d | %.1f | %.0f |%n",
                        mode, r.lines(), secs, r.lines() / secs);
                // the machine may be shared: CPU time says what the scan itself cost
                System.err.printf(Locale.ROOT, "%s: %d files, %.1f s wall, %.1f s CPU (all threads, GC and JIT"
                        + " included) = %.0f lines per CPU-second; %d files attributed, %d findings, %d files not parsed%n",
                        mode, r.files(), secs, cpu, r.lines() / cpu, r.attributedFiles(), r.findings().size(), r.fileErrors().size());
            }
        } finally {
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static long cpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private static ScanResult run(Path path, ScanOptions.Mode mode, int threads) {
        return WeftScan.scan(ScanOptions.builder().path(path).mode(mode).threads(threads)
                .detectClasspath(false).select(List.of("ALL")).build());
    }

    private static Path extract(Path zip, List<String> modules, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> prefixes = new ArrayList<>();
        for (String m : modules) {
            prefixes.add(m.strip() + "/");
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || !e.getName().endsWith(".java")
                        || prefixes.stream().noneMatch(e.getName()::startsWith)) {
                    continue;
                }
                Path out = dir.resolve(e.getName()).normalize();
                if (!out.startsWith(dir)) {
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, out);
                }
            }
        }
        return dir;
    }
}
