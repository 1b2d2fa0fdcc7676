package dev.weft.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.scan.Finding;
import dev.weft.scan.Rule;
import dev.weft.scan.ScanOptions;
import dev.weft.scan.ScanResult;
import dev.weft.scan.WeftScan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Error Prone's {@code CompilationTestHelper} for one check: small sources, each line that must
 * be flagged marked {@code // expect: WEFTnnn}; every other line must not be flagged by the rule.
 * The sources are scanned with only that rule selected, on names only and with javac attribution,
 * and both runs must give exactly the marked lines.
 */
final class CheckTester {
    private static final Pattern EXPECT = Pattern.compile("expect:\\s*((?:WEFT\\d{3}[\\s,]*)+)");

    private final Rule rule;
    private final Map<String, String> files = new LinkedHashMap<>();
    private int release = Runtime.version().feature();

    private CheckTester(Rule rule) {
        this.rule = rule;
    }

    /** A tester for one rule. */
    static CheckTester of(Rule rule) {
        return new CheckTester(rule);
    }

    /**
     * Adds a source file.
     *
     * @param path  relative path (decides test-source recognition, e.g. {@code src/test/java/A.java})
     * @param lines its lines
     * @return this
     */
    CheckTester add(String path, String... lines) {
        files.put(path, String.join("\n", lines) + "\n");
        return this;
    }

    /**
     * The Java release the sources run on.
     *
     * @param r the release
     * @return this
     */
    CheckTester release(int r) {
        this.release = r;
        return this;
    }

    /** Scans in both modes and asserts the findings are exactly the marked lines. */
    void test() {
        test(ScanOptions.Mode.PARSE_ONLY);
        test(ScanOptions.Mode.ATTRIBUTE);
    }

    /** Scans in one mode and asserts the findings are exactly the marked lines; returns the result. */
    ScanResult test(ScanOptions.Mode mode) {
        Path dir;
        try {
            dir = Files.createTempDirectory("weft-check");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            TreeSet<String> expected = new TreeSet<>();
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
                String[] lines = f.getValue().split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher m = EXPECT.matcher(lines[i]);
                    if (m.find() && m.group(1).contains(rule.id())) {
                        expected.add(f.getKey() + ":" + (i + 1));
                    }
                }
            }
            ScanResult r = WeftScan.scan(ScanOptions.builder().path(dir).select(List.of(rule.id())).mode(mode).release(release)
                    .detectClasspath(false).workingDirectory(dir).tests(ScanOptions.Tests.INCLUDE).threads(1).build());
            assertTrue(r.fileErrors().isEmpty(), () -> "sources must parse: " + r.fileErrors());
            TreeSet<String> actual = new TreeSet<>();
            List<String> messages = new ArrayList<>();
            for (Finding f : r.findings()) {
                actual.add(f.path().replace('\\', '/') + ":" + f.line());
                messages.add(f.path() + ":" + f.line() + " " + f.message());
            }
            assertEquals(expected, actual, () -> rule.id() + " in mode " + mode + ": " + messages);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // temp dir: best effort
            }
        }
    }
}
