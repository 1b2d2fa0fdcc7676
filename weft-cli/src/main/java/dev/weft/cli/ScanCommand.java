package dev.weft.cli;

import dev.weft.scan.ExitCodes;
import dev.weft.scan.OutputFormat;
import dev.weft.scan.ScanOptions;
import dev.weft.scan.WeftScan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft scan}: a thin adapter from picocli options to {@link ScanOptions}; the scanning,
 * report formats and exit codes live in weft-scan ({@link WeftScan#run}).
 */
@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Finds blocking calls where they hurt and async misuse in Java sources.",
                "Rules and fixes: docs/scan/. Exit code: 0 clean, 1 findings, 2 usage or parse error."})
final class ScanCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "Files, directories (searched for *.java) or source archives (.jar, .zip).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Do not scan files whose path matches this glob (e.g. '**/src/test/resources/**'); repeatable.")
    List<String> exclude = new ArrayList<>();

    @Option(names = {"--classpath", "--class-path", "-cp"}, paramLabel = "PATH", split = "${sys:path.separator}",
            description = "Class path for exact resolution. Default: detected from a Maven project's "
                    + "target/classes and the local repository; empty otherwise.")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--no-detect-classpath", description = "Do not read target/classes and pom.xml dependencies.")
    boolean noDetect;

    @Option(names = "--parse-only", description = "Skip javac attribution: fastest, every finding low confidence.")
    boolean parseOnly;

    @Option(names = "--attribute", description = "Attribute every file (default: match every file on names, "
            + "then attribute only the files where it can change the answer).")
    boolean attribute;

    @Option(names = {"--format", "-f"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default: path:line:col: ID message), json or sarif (SARIF 2.1.0).")
    String format;

    @Option(names = {"--output", "-o"}, paramLabel = "FILE", description = "Write the report here (default: stdout).")
    Path output;

    @Option(names = "--select", split = ",", paramLabel = "ID",
            description = "Rules to run: ids (WEFT101), prefixes (WEFT1) or ALL. Default: every rule "
                    + "enabled by default (all but WEFT108).")
    List<String> select = new ArrayList<>();

    @Option(names = "--ignore", split = ",", paramLabel = "ID", description = "Rules not to run (same syntax).")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--release", paramLabel = "N",
            description = "Java release the code runs on (default: this JDK's). Below 24, WEFT201 flags "
                    + "blocking inside synchronized (pinning).")
    Integer release;

    @Option(names = "--blocking-api", paramLabel = "FILE",
            description = "Extra catalogue entries (format: docs/scan/catalogue.md); repeatable.")
    List<Path> blockingApi = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "FILE", description = "Do not report findings listed in this baseline.")
    Path baseline;

    @Option(names = "--write-baseline", paramLabel = "FILE",
            description = "Write this scan's findings as a baseline and exit 0 (2 if a file did not parse).")
    Path writeBaseline;

    @Option(names = "--tests", paramLabel = "MODE", defaultValue = "lower",
            description = "Test sources (src/test/..., src/*Test*/..., or importing JUnit/TestNG): include, "
                    + "lower (default: reported one severity lower, marked [test]) or exclude.")
    String tests;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: available processors).")
    Integer threads;

    @Override
    public Integer call() {
        ScanOptions options;
        if (parseOnly && attribute) {
            System.err.println("weft scan: --parse-only and --attribute exclude each other");
            return ExitCodes.USAGE_OR_PARSE_ERROR;
        }
        try {
            ScanOptions.Builder b = ScanOptions.builder().paths(paths).classpath(classpath)
                    .detectClasspath(!noDetect).format(OutputFormat.parse(format))
                    .mode(parseOnly ? ScanOptions.Mode.PARSE_ONLY
                            : attribute ? ScanOptions.Mode.ATTRIBUTE : ScanOptions.Mode.AUTO)
                    .tests(ScanOptions.Tests.parse(tests)).select(select).ignore(ignore).output(output).baseline(baseline).writeBaseline(writeBaseline);
            if (release != null) {
                b.release(release);
            }
            if (threads != null) {
                b.threads(threads);
            }
            blockingApi.forEach(b::blockingApi);
            exclude.forEach(b::exclude);
            options = b.build();
        } catch (IllegalArgumentException e) {
            System.err.println("weft scan: " + e.getMessage());
            return ExitCodes.USAGE_OR_PARSE_ERROR;
        }
        return WeftScan.run(options, System.out, System.err);
    }
}
