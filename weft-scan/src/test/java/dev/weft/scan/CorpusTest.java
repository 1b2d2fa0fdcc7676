package dev.weft.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The labelled corpus: every line that must be flagged carries {@code // expect: WEFTnnn ...};
 * every other line must not be flagged. Prints precision and recall per rule, and fails on any
 * difference, in both resolution modes.
 */
class CorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/corpus");
    private static final Pattern EXPECT = Pattern.compile("expect:\\s*((?:WEFT\\d{3}[\\s,]*)+)");
    private static final Pattern RELEASE = Pattern.compile("^// corpus: --release (\\d+)");

    @ParameterizedTest
    @EnumSource(value = ScanOptions.Mode.class, names = {"AUTO", "PARSE_ONLY", "ATTRIBUTE"})
    void everyRuleHasFullPrecisionAndRecallOnTheCorpus(ScanOptions.Mode mode) throws IOException {
        Map<Integer, List<Path>> byRelease = new TreeMap<>();
        Set<String> expected = new TreeSet<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                int release = Runtime.version().feature();
                Matcher rm = RELEASE.matcher(lines.get(0));
                if (rm.find()) {
                    release = Integer.parseInt(rm.group(1));
                }
                byRelease.computeIfAbsent(release, k -> new ArrayList<>()).add(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = EXPECT.matcher(lines.get(i));
                    if (m.find()) {
                        for (String id : m.group(1).trim().split("[\\s,]+")) {
                            expected.add(key(f.getFileName().toString(), i + 1, id));
                        }
                    }
                }
            }
        }
        Set<String> actual = new TreeSet<>();
        Map<String, Finding> byKey = new TreeMap<>();
        for (Map.Entry<Integer, List<Path>> e : byRelease.entrySet()) {
            ScanResult r = WeftScan.scan(ScanOptions.builder().paths(e.getValue()).select(List.of("ALL"))
                    .release(e.getKey()).mode(mode).detectClasspath(false).workingDirectory(CORPUS).build());
            assertTrue(r.fileErrors().isEmpty(), () -> "corpus files must parse: " + r.fileErrors());
            for (Finding f : r.findings()) {
                String k = key(Path.of(f.path()).getFileName().toString(), f.line(), f.rule().id());
                actual.add(k);
                byKey.put(k, f);
            }
        }
        Map<Rule, int[]> counts = new EnumMap<>(Rule.class); // tp, fp, fn
        for (Rule r : Rule.values()) {
            counts.put(r, new int[3]);
        }
        List<String> problems = new ArrayList<>();
        for (String k : actual) {
            Rule r = Rule.valueOf(k.substring(k.lastIndexOf(' ') + 1));
            if (expected.contains(k)) {
                counts.get(r)[0]++;
            } else {
                counts.get(r)[1]++;
                problems.add("unexpected " + k + ": " + byKey.get(k).message());
            }
        }
        for (String k : expected) {
            if (!actual.contains(k)) {
                counts.get(Rule.valueOf(k.substring(k.lastIndexOf(' ') + 1)))[2]++;
                problems.add("missed     " + k);
            }
        }
        StringBuilder table = new StringBuilder("\nweft scan corpus, mode " + mode + "\n")
                .append("| rule | expected | tp | fp | fn | precision | recall |\n|---|---|---|---|---|---|---|\n");
        for (Map.Entry<Rule, int[]> e : counts.entrySet()) {
            int[] c = e.getValue();
            table.append(String.format("| %s | %d | %d | %d | %d | %s | %s |%n", e.getKey().id(), c[0] + c[2], c[0], c[1], c[2],
                    pct(c[0], c[0] + c[1]), pct(c[0], c[0] + c[2])));
        }
        System.out.print(table);
        for (Rule r : Rule.values()) {
            assertTrue(counts.get(r)[0] > 0, "the corpus has no flagged example for " + r.id());
        }
        assertEquals(List.of(), problems, "corpus mismatches in mode " + mode);
    }

    private static String pct(int num, int den) {
        return den == 0 ? "n/a" : String.format("%.1f%%", 100.0 * num / den);
    }

    private static String key(String file, int line, String rule) {
        return file + ":" + String.format("%03d", line) + " " + rule;
    }
}
