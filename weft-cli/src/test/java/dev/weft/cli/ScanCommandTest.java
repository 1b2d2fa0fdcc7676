package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    @TempDir
    Path dir;

    private Path write(String name, String code) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, code);
        return p;
    }

    @Test
    void cleanCodeExitsZero() throws IOException {
        Path p = write("Clean.java", "class Clean { int x() { return 1; } }");
        assertEquals(0, Main.execute("scan", "--no-detect-classpath", p.toString()));
    }

    @Test
    void aFindingExitsOneAndTheJsonReportNamesTheRule() throws IOException {
        Path p = write("Bad.java", """
                import java.util.concurrent.CompletableFuture;
                class Bad {
                    void f(CompletableFuture<String> cf) {
                        CompletableFuture<Integer> n = cf.thenApplyAsync(String::length);
                    }
                }
                """);
        Path out = dir.resolve("report.json");
        assertEquals(1, Main.execute("scan", "--no-detect-classpath", "--format", "json", "-o", out.toString(), p.toString()));
        assertTrue(Files.readString(out).contains("\"rule\": \"WEFT302\""));
    }

    @Test
    void unknownRuleIsAUsageError() throws IOException {
        Path p = write("Clean.java", "class Clean { }");
        assertEquals(2, Main.execute("scan", "--select", "NOPE1", p.toString()));
    }

    @Test
    void testsOptionTakesIncludeLowerOrExclude() throws IOException {
        Path p = write("Clean.java", "class Clean { }");
        assertEquals(2, Main.execute("scan", "--tests", "some", p.toString()));
        assertEquals(0, Main.execute("scan", "--tests", "exclude", p.toString()));
    }

    @Test
    void unknownFormatIsAUsageError() throws IOException {
        Path p = write("Clean.java", "class Clean { }");
        assertEquals(2, Main.execute("scan", "--format", "xml", p.toString()));
    }

    @Test
    void classPathIsSplitOnThePlatformSeparator() {
        ScanCommand cmd = new ScanCommand();
        assertEquals(Cli.PARSED, Cli.parse(cmd, "-cp", "a.jar" + java.io.File.pathSeparator + "b.jar", "X.java"));
        assertEquals(java.util.List.of(Path.of("a.jar"), Path.of("b.jar")), cmd.classpath);
    }

    @Test
    void missingPathIsAUsageError() {
        assertEquals(2, Main.execute("scan", dir.resolve("nope").toString()));
    }
}
