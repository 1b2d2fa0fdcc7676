package dev.weft.scan;

import dev.weft.scan.internal.Baseline;
import dev.weft.scan.internal.Engine;
import dev.weft.scan.internal.Reports;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code weft scan}: finds blocking calls where they hurt and async misuse in Java sources.
 *
 * {@snippet :
 * ScanResult r = WeftScan.scan(ScanOptions.builder().path(Path.of("src/main/java")).build());
 * for (Finding f : r.findings()) {
 *     System.out.println(f.path() + ":" + f.line() + ": " + f.rule().id() + " " + f.message());
 * }
 * }
 *
 * <p>Calls are resolved by javac attribution against the JDK and the class path; what does not
 * resolve (no class path for a library) is matched on imports and declared names and reported
 * with {@link Confidence#LOW}. A file that does not parse is reported as a {@link FileError} and
 * the scan goes on. Thread safety: each call is independent; a scan uses
 * {@link ScanOptions#threads()} worker threads and returns when they are done.
 */
public final class WeftScan {
    private WeftScan() {
    }

    /**
     * Scans.
     *
     * @param options what to scan and how
     * @return the findings, the files that did not parse and the counts
     * @throws IllegalArgumentException for unusable input: a missing path, an unreadable archive,
     *                                  a bad {@code --blocking-api} file or baseline
     */
    public static ScanResult scan(ScanOptions options) {
        return Engine.scan(options);
    }

    /**
     * Writes a report in the given format.
     *
     * @param result the scan's result
     * @param format the report's format
     * @param out where the report goes
     * @throws IOException if writing to {@code out} fails
     */
    public static void write(ScanResult result, OutputFormat format, Appendable out) throws IOException {
        switch (format) {
            case TEXT -> Reports.text(result, out);
            case JSON -> Reports.json(result, out);
            case SARIF -> Reports.sarif(result, out);
        }
    }

    /**
     * What the command does: scan, write the baseline if asked, write the report to
     * {@link ScanOptions#output()} or {@code out}, a one-line summary to {@code err}.
     *
     * @return the exit code: {@link ExitCodes#CLEAN}, {@link ExitCodes#FINDINGS} or
     *         {@link ExitCodes#USAGE_OR_PARSE_ERROR} (bad input, or no file that parses)
     * @param options what to scan and how, and where the report goes
     * @param out the report's destination when {@link ScanOptions#output()} is null
     * @param err where the summary line and error messages go
     */
    public static int run(ScanOptions options, PrintStream out, PrintStream err) {
        ScanResult r;
        long start = System.nanoTime();
        try {
            r = scan(options);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("weft scan: " + e.getMessage());
            return ExitCodes.USAGE_OR_PARSE_ERROR;
        }
        try {
            if (options.writeBaseline() != null) {
                Baseline.write(options.writeBaseline(), r.findings());
            }
            if (options.output() != null) {
                Path parent = options.output().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                try (Writer w = Files.newBufferedWriter(options.output(), StandardCharsets.UTF_8)) {
                    write(r, options.format(), w);
                }
            } else {
                StringBuilder sb = new StringBuilder();
                write(r, options.format(), sb);
                out.print(sb);
                out.flush();
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("weft scan: " + e.getMessage());
            return ExitCodes.USAGE_OR_PARSE_ERROR;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        for (FileError e : r.fileErrors()) {
            err.println("weft scan: skipped " + e.path() + ":" + e.line() + ": " + e.message().lines().findFirst().orElse(""));
        }
        err.println("weft scan: " + r.findings().size() + " finding(s), " + r.fileErrors().size()
                + " file(s) not parsed (skipped), " + r.files() + " file(s), " + r.lines() + " line(s)"
                + (r.suppressed() > 0 ? ", " + r.suppressed() + " suppressed" : "")
                + (r.attributed() ? ", " + r.attributedFiles() + " attributed" : " (parse-only)")
                + String.format(java.util.Locale.ROOT, ", %.1f s, %,.0f lines/s", secs, secs > 0 ? r.lines() / secs : 0.0));
        if (options.writeBaseline() != null) {
            err.println("weft scan: wrote baseline " + options.writeBaseline() + " (" + r.findings().size() + " finding(s))");
            return r.fileErrors().size() >= r.files() && r.files() > 0 ? ExitCodes.USAGE_OR_PARSE_ERROR : ExitCodes.CLEAN;
        }
        return r.exitCode();
    }
}
