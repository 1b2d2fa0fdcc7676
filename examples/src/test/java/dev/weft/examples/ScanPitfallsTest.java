package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.scan.Finding;
import dev.weft.scan.ScanOptions;
import dev.weft.scan.ScanResult;
import dev.weft.scan.WeftScan;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** weft scan reports the pitfalls the guides say it reports, and nothing in the good examples. */
class ScanPitfallsTest {
    static final Path EXAMPLES = Path.of("src/main/java/dev/weft/examples");

    private static Set<String> findings(Path dir) {
        ScanResult result = WeftScan.scan(ScanOptions.builder()
                .path(dir)
                .blockingApi(Path.of("scan/event-loops.txt"))
                .classpath(Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of).toList())
                .build());
        Set<String> got = new TreeSet<>();
        for (Finding f : result.findings()) {
            got.add(Path.of(f.path()).getFileName() + ":" + f.line() + " " + f.rule().id());
        }
        return got;
    }

    @Test
    void pitfallsAreFound() {
        // the same findings as `weft scan --blocking-api examples/scan/event-loops.txt examples/src/main/java/dev/weft/examples/pitfalls`
        // shown in docs/debugging.md
        Set<String> got = findings(EXAMPLES.resolve("pitfalls"));
        System.out.println(String.join("\n", got));
        Set<String> rules = new TreeSet<>();
        got.forEach(s -> rules.add(s.substring(s.indexOf(' ') + 1)));
        assertEquals(new TreeSet<>(List.of("WEFT101", "WEFT107", "WEFT109", "WEFT202", "WEFT301", "WEFT302")), rules, got.toString());
        assertEquals(true, got.contains("JettyCallback.java:19 WEFT101"), "the catalogue addition makes the Jetty listener an event loop: " + got);
        assertEquals(true, got.contains("CommonPoolStage.java:34 WEFT107"), got.toString());
        assertEquals(12, got.size(), got.toString());

    }
}
