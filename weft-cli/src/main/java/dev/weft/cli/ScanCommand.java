package dev.weft.cli;

import dev.weft.scan.ExitCodes;
import dev.weft.scan.OutputFormat;
import dev.weft.scan.ScanOptions;
import dev.weft.scan.WeftScan;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code weft scan}: a thin adapter from command-line options to {@link ScanOptions}; the scanning,
 * report formats and exit codes live in weft-scan ({@link WeftScan#run}).
 */
final class ScanCommand extends Cli.Command {

    List<Path> paths = new ArrayList<>();
    List<String> exclude = new ArrayList<>();
    List<Path> classpath = new ArrayList<>();
    boolean noDetect;
    boolean parseOnly;
    boolean attribute;
    String format;
    Path output;
    List<String> select = new ArrayList<>();
    List<String> ignore = new ArrayList<>();
    Integer release;
    List<Path> blockingApi = new ArrayList<>();
    Path baseline;
    Path writeBaseline;
    String tests;
    Integer threads;

    @Override
    String name() {
        return "scan";
    }

    @Override
    List<String> description() {
        return List.of("Finds blocking calls where they hurt and async misuse in Java sources. Rules and fixes: docs/scan/. Exit code: 0 clean, 1 findings, 2 usage or parse error.");
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.positional("PATH", "Files, directories (searched for *.java) or source archives (.jar, .zip).", 1, Integer.MAX_VALUE,
                v -> v.forEach(p -> paths.add(Cli.PATH.apply(p))));
        spec.repeatable("--exclude", "GLOB", "Do not scan files whose path matches this glob (e.g. '**/src/test/resources/**'); repeatable.", Cli.STRING, exclude::add);
        spec.repeatable("--classpath, --class-path, -cp", "PATH", ("Class path for exact resolution. Default: detected from a Maven project's "
                    + "target/classes and the local repository; empty otherwise."), Cli.STRING,
                v -> Stream.of(v.split(Pattern.quote(File.pathSeparator))).map(Cli.PATH).forEach(classpath::add));
        spec.flag("--no-detect-classpath", "Do not read target/classes and pom.xml dependencies.", () -> noDetect = true);
        spec.flag("--parse-only", "Skip javac attribution: fastest, every finding low confidence.", () -> parseOnly = true);
        spec.flag("--attribute", ("Attribute every file (default: match every file on names, "
            + "then attribute only the files where it can change the answer)."), () -> attribute = true);
        spec.option("--format, -f", "FORMAT", "text (default: path:line:col: ID message), json or sarif (SARIF 2.1.0).", "text", Cli.STRING, v -> format = v);
        spec.option("--output, -o", "FILE", "Write the report here (default: stdout).", null, Cli.PATH, v -> output = v);
        spec.repeatable("--select", "ID", ("Rules to run: ids (WEFT101), prefixes (WEFT1) or ALL. Default: every rule "
                    + "enabled by default (all but WEFT108)."), Cli.STRING, v -> select.addAll(List.of(v.split(","))));
        spec.repeatable("--ignore", "ID", "Rules not to run (same syntax).", Cli.STRING, v -> ignore.addAll(List.of(v.split(","))));
        spec.option("--release", "N", ("Java release the code runs on (default: this JDK's). Below 24, WEFT201 flags "
                    + "blocking inside synchronized (pinning)."), null, Cli.INT, v -> release = v);
        spec.repeatable("--blocking-api", "FILE", "Extra catalogue entries (format: docs/scan/catalogue.md); repeatable.", Cli.PATH, blockingApi::add);
        spec.option("--baseline", "FILE", "Do not report findings listed in this baseline.", null, Cli.PATH, v -> baseline = v);
        spec.option("--write-baseline", "FILE", "Write this scan's findings as a baseline and exit 0 (2 if a file did not parse).", null, Cli.PATH, v -> writeBaseline = v);
        spec.option("--tests", "MODE", ("Test sources (src/test/..., src/*Test*/..., or importing JUnit/TestNG): include, "
                    + "lower (default: reported one severity lower, marked [test]) or exclude."), "lower", Cli.STRING, v -> tests = v);
        spec.option("--threads", "N", "Worker threads (default: available processors).", null, Cli.INT, v -> threads = v);
    }

    @Override
    int call() {
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
