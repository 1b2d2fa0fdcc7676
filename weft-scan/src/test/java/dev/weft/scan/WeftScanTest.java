package dev.weft.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeftScanTest {
    private static final String SLEEPY = """
            package demo;

            import java.util.concurrent.CompletableFuture;

            class Sleepy {
                void f(CompletableFuture<String> cf) {
                    cf.thenRun(() -> {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String code) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, code);
        return p;
    }

    private ScanOptions.Builder options(Path... paths) {
        return ScanOptions.builder().paths(List.of(paths)).detectClasspath(false).workingDirectory(dir).threads(1);
    }

    @Test
    void aFileThatDoesNotParseIsReportedAndTheScanGoesOn() throws IOException {
        Path broken = write("Broken.java", "class Broken { void f( { }");
        Path good = write("Sleepy.java", SLEEPY);
        ScanResult r = WeftScan.scan(options(broken, good).build());
        assertEquals(1, r.fileErrors().size());
        assertEquals("Broken.java", r.fileErrors().get(0).path());
        assertTrue(r.fileErrors().get(0).line() >= 1);
        assertEquals(List.of(Rule.WEFT106), r.findings().stream().map(Finding::rule).toList());
        assertEquals(ExitCodes.FINDINGS, r.exitCode(), "a broken file is skipped, not fatal");
    }

    @Test
    void aTemplateThatDoesNotParseIsSkippedAndOnlyNoParsableFileAtAllExitsTwo() throws IOException {
        Path template = write("Template.java", "package ${package};\nclass ${name} { }");
        Path clean = write("Clean.java", "class Clean { int x() { return 1; } }");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WeftScan.run(options(template, clean).build(), quiet(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.CLEAN, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("weft scan: skipped Template.java:1: "),
                err.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCodes.USAGE_OR_PARSE_ERROR, WeftScan.scan(options(template).build()).exitCode());
    }

    @Test
    void theSummarySaysElapsedTimeAndLinesPerSecond() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        WeftScan.run(options(write("Sleepy.java", SLEEPY)).build(), quiet(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).matches("(?s)weft scan: 1 finding\\(s\\), 0 file\\(s\\) not parsed"
                + " \\(skipped\\), 1 file\\(s\\), \\d+ line\\(s\\).*, [0-9.]+ s, [0-9,]+ lines/s\\R"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void testSourcesAreLoweredByDefaultIncludedOrExcludedOnRequest() throws IOException {
        String swallow = "package p;\nclass Swallow {\n    void f() {\n        try {\n            Thread.sleep(1);\n"
                + "        } catch (InterruptedException e) {\n            System.err.println(e);\n        }\n    }\n}\n";
        Path main = write("src/main/java/p/Swallow.java", swallow);
        Path test = write("src/test/java/p/SwallowTest.java", swallow.replace("class Swallow", "class SwallowTest"));
        Path gradle = write("src/integrationTest/java/p/SwallowIT.java", swallow.replace("class Swallow", "class SwallowIT"));
        ScanResult lower = WeftScan.scan(options(main, test, gradle).select(List.of("WEFT303")).build());
        assertEquals(List.of(Severity.WARNING, Severity.ERROR, Severity.WARNING),
                lower.findings().stream().map(Finding::severity).toList(), lower.findings().toString());
        StringBuilder text = new StringBuilder();
        WeftScan.write(lower, OutputFormat.TEXT, text);
        assertTrue(text.toString().contains("SwallowTest.java:6:18: WEFT303") && text.toString().contains("[test]"), text.toString());
        ScanResult include = WeftScan.scan(options(main, test, gradle).select(List.of("WEFT303"))
                .tests(ScanOptions.Tests.INCLUDE).build());
        assertEquals(List.of(Severity.ERROR, Severity.ERROR, Severity.ERROR),
                include.findings().stream().map(Finding::severity).toList());
        ScanResult exclude = WeftScan.scan(options(main, test, gradle).select(List.of("WEFT303"))
                .tests(ScanOptions.Tests.EXCLUDE).build());
        assertEquals(1, exclude.files());
        assertEquals(List.of("src/main/java/p/Swallow.java"), exclude.findings().stream().map(Finding::path).toList());
        assertEquals("--tests must be include, lower or exclude, got 'some'",
                assertThrows(IllegalArgumentException.class, () -> ScanOptions.Tests.parse("some")).getMessage());
    }

    @Test
    void textReportHasPathLineColumnIdAndMessage() throws IOException {
        ScanResult r = WeftScan.scan(options(write("Sleepy.java", SLEEPY)).build());
        StringBuilder sb = new StringBuilder();
        WeftScan.write(r, OutputFormat.TEXT, sb);
        assertTrue(sb.toString().matches("Sleepy\\.java:9:24: WEFT106 Thread\\.sleep blocks in a non-blocking context .*\\n"),
                sb.toString());
        assertEquals(ExitCodes.FINDINGS, r.exitCode());
    }

    @Test
    void cleanCodeExitsZero() throws IOException {
        ScanResult r = WeftScan.scan(options(write("Clean.java", "class Clean { int x() { return 1; } }")).build());
        assertEquals(List.of(), r.findings());
        assertEquals(ExitCodes.CLEAN, r.exitCode());
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonReportIsWellFormedAndComplete() throws IOException {
        Path broken = write("Broken.java", "class Broken { \"unterminated }");
        ScanResult r = WeftScan.scan(options(write("Sleepy.java", SLEEPY), broken).build());
        StringBuilder sb = new StringBuilder();
        WeftScan.write(r, OutputFormat.JSON, sb);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(sb.toString());
        List<Map<String, Object>> findings = (List<Map<String, Object>>) doc.get("findings");
        assertEquals(1, findings.size());
        assertEquals("WEFT106", findings.get(0).get("rule"));
        assertEquals(9.0, findings.get(0).get("line"));
        assertEquals("high", findings.get(0).get("confidence"));
        assertEquals(1, ((List<?>) doc.get("errors")).size());
    }

    @Test
    @SuppressWarnings("unchecked")
    void sarifHasStableRuleIdsAndPartialFingerprints() throws IOException {
        ScanResult r = WeftScan.scan(options(write("Sleepy.java", SLEEPY)).build());
        StringBuilder sb = new StringBuilder();
        WeftScan.write(r, OutputFormat.SARIF, sb);
        Map<String, Object> doc = (Map<String, Object>) Json.parse(sb.toString());
        assertEquals("2.1.0", doc.get("version"));
        Map<String, Object> run = ((List<Map<String, Object>>) doc.get("runs")).get(0);
        Map<String, Object> driver = (Map<String, Object>) ((Map<String, Object>) run.get("tool")).get("driver");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) driver.get("rules");
        assertEquals(Rule.values().length, rules.size());
        Map<String, Object> result = ((List<Map<String, Object>>) run.get("results")).get(0);
        assertEquals("WEFT106", result.get("ruleId"));
        assertEquals("WEFT106", rules.get(((Double) result.get("ruleIndex")).intValue()).get("id"));
        assertEquals("error", result.get("level"));
        Map<String, Object> fp = (Map<String, Object>) result.get("partialFingerprints");
        assertTrue(((String) fp.get("weftFingerprint/v1")).matches("[0-9a-f]{32}"));
    }

    @Test
    void fingerprintsSurviveLinesMovingAndTheBaselineHidesKnownFindingsOnly() throws IOException {
        Path src = write("Sleepy.java", SLEEPY);
        Path baseline = dir.resolve("weft-baseline.txt");
        ScanResult first = WeftScan.scan(options(src).writeBaseline(baseline).build());
        assertEquals(0, WeftScan.run(options(src).writeBaseline(baseline).build(), quiet(), quiet()));
        Files.writeString(src, "// a new header\n\n" + SLEEPY.replace("class Sleepy {", """
                class Sleepy {
                    void g(CompletableFuture<String> cf) {
                        cf.thenRun(() -> {
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                """));
        ScanResult after = WeftScan.scan(options(src).baseline(baseline).build());
        assertEquals(1, after.findings().size(), () -> "only the new finding: " + after.findings());
        assertTrue(after.findings().get(0).line() < 12, "the new finding is the one in g()");
        assertEquals(1, after.suppressed());
        assertEquals(1, first.findings().size());
    }

    @Test
    void withoutAClassPathOnlyFilesThatCouldChangeAreAttributed() throws IOException {
        Path sleepy = write("Sleepy.java", SLEEPY);
        Path clean = write("Clean.java", "class Clean { int x() { return 1; } }");
        ScanResult r = WeftScan.scan(options(sleepy, clean).build());
        assertEquals(2, r.files());
        assertEquals(1, r.attributedFiles(), "only the file with a finding is attributed");
        assertEquals(Confidence.HIGH, r.findings().get(0).confidence());
    }

    @Test
    void aCallOnAClassThatNoAttributedFileDeclaresIsNotWorthAttributing() throws IOException {
        // start() is a name whose result can matter (Thread.Builder.OfVirtual.start), but Server is
        // in a package nothing has: attribution could not resolve s.start() either (ADR 0113)
        Path starter = write("Starter.java", """
                package demo;

                import org.other.Server;

                class Starter {
                    void go(Server s) {
                        s.start();
                        new Server().start();
                    }
                }
                """);
        assertEquals(0, WeftScan.scan(options(starter).build()).attributedFiles());
        // a scanned file that is attributed (it has a finding) declares Server: now it could resolve
        Path server = write("Server.java", SLEEPY.replace("package demo;", "package org.other;")
                .replace("class Sleepy", "class Server"));
        assertEquals(2, WeftScan.scan(options(starter, server).build()).attributedFiles());
        // a scanned file that declares Server but is not attributed itself does not count
        Path idle = write("Idle.java", "package org.other; class Server { void start() { } }");
        assertEquals(0, WeftScan.scan(options(starter, idle).build()).attributedFiles());
        // a type variable resolves on its bound, and a class of a package javac knows may be nested there
        Path bound = write("Bound.java", """
                package demo;

                class Bound<T extends Thread> {
                    void go(T t) {
                        t.start();
                    }
                }
                """);
        assertEquals(1, WeftScan.scan(options(bound).build()).attributedFiles());
        Path jdkPackage = write("JdkPackage.java", """
                package demo;

                import java.util.concurrent.NotAClassHere;

                class JdkPackage {
                    void go(NotAClassHere x) {
                        x.start();
                    }
                }
                """);
        assertEquals(1, WeftScan.scan(options(jdkPackage).build()).attributedFiles());
    }

    @Test
    void withADetectedMavenClassPathOnlyFilesThatCouldChangeAreAttributedUnlessAsked() throws IOException {
        write("app/pom.xml", "<project></project>");
        Files.createDirectories(dir.resolve("app/target/classes"));
        write("app/src/main/java/demo/Sleepy.java", SLEEPY);
        write("app/src/main/java/demo/Clean.java", "package demo; class Clean { }");
        ScanResult r = WeftScan.scan(ScanOptions.builder().path(dir.resolve("app/src")).workingDirectory(dir)
                .threads(1).build());
        assertEquals(1, r.attributedFiles(), "ADR 0112: names first, then only the file with a finding");
        assertEquals(List.of(Rule.WEFT106), r.findings().stream().map(Finding::rule).toList());
        assertEquals(Confidence.HIGH, r.findings().get(0).confidence());
        ScanResult all = WeftScan.scan(ScanOptions.builder().path(dir.resolve("app/src")).workingDirectory(dir)
                .threads(1).mode(ScanOptions.Mode.ATTRIBUTE).build());
        assertEquals(2, all.attributedFiles());
        assertEquals(r.findings(), all.findings());
    }

    @Test
    void theNamePassSeesClassPathTypesAndTheirSupertypes() throws IOException {
        // a library on the class path: com.acme.MyNaps extends com.acme.Naps, whose nap() the catalogue
        // calls blocking; the source names only MyNaps, so only the class path tells that it is a Naps
        Path lib = dir.resolve("lib");
        Path libSrc = write("libsrc/com/acme/MyNaps.java", "package com.acme; public class MyNaps extends Naps { }");
        Path naps = write("libsrc/com/acme/Naps.java", "package com.acme; public class Naps { public void nap() { } }");
        Files.createDirectories(lib);
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", lib.toString(), libSrc.toString(), naps.toString()));
        Path src = write("app/UsesNaps.java", """
                import com.acme.MyNaps;
                import java.util.concurrent.CompletableFuture;
                class UsesNaps {
                    void f(CompletableFuture<String> cf, MyNaps naps) {
                        cf.thenRun(() -> naps.nap());
                    }
                }
                """);
        Path extra = write("acme-apis.txt", "blocking sleep com.acme.Naps nap\n");
        ScanResult names = WeftScan.scan(options(src).classpath(List.of(lib)).blockingApi(extra)
                .mode(ScanOptions.Mode.PARSE_ONLY).build());
        assertEquals(List.of(Rule.WEFT106), names.findings().stream().map(Finding::rule).toList(),
                "matched on names, with MyNaps's supertypes read from the class path");
        ScanResult auto = WeftScan.scan(options(src).classpath(List.of(lib)).blockingApi(extra).build());
        assertEquals(List.of(Rule.WEFT106), auto.findings().stream().map(Finding::rule).toList());
        assertEquals(Confidence.HIGH, auto.findings().get(0).confidence());
        assertEquals(List.of(), WeftScan.scan(options(src).blockingApi(extra).mode(ScanOptions.Mode.PARSE_ONLY)
                .build()).findings(), "without the class path nothing says MyNaps is a Naps");
    }

    @Test
    void importsFromPackagesThatExistNowhereStillLeaveTheRestExact() throws IOException {
        // ADR 0112: the engine declares such packages to javac (a package-info each), so that it does not
        // search every JDK module for their classes; the classes stay missing, the rest resolves
        Path src = write("Imports.java", """
                package demo;
                import com.acme.missing.Thing;
                import com.acme.missing.more.*;
                import com.acme.missing.Outer.Inner;
                import static com.acme.missing.Util.help;
                import java.util.concurrent.CompletableFuture;
                class Imports {
                    Thing thing;
                    void f(CompletableFuture<String> cf) {
                        help(thing);
                        cf.thenRun(() -> {
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                    }
                }
                """);
        for (ScanOptions.Mode m : List.of(ScanOptions.Mode.AUTO, ScanOptions.Mode.ATTRIBUTE)) {
            ScanResult r = WeftScan.scan(options(src).mode(m).build());
            assertEquals(List.of(Rule.WEFT106), r.findings().stream().map(Finding::rule).toList(), m::name);
            assertEquals(Confidence.HIGH, r.findings().get(0).confidence(), m::name);
            assertEquals(List.of(), r.fileErrors(), m::name);
        }
    }

    @Test
    void parseOnlyFindingsAreLowConfidence() throws IOException {
        ScanResult r = WeftScan.scan(options(write("Sleepy.java", SLEEPY)).mode(ScanOptions.Mode.PARSE_ONLY).build());
        assertEquals(Confidence.LOW, r.findings().get(0).confidence());
        assertTrue(!r.attributed());
    }

    @Test
    void blockingApiFileExtendsTheCatalogue() throws IOException {
        Path src = write("Naps.java", """
                import com.acme.Naps;
                import java.util.concurrent.CompletableFuture;
                class UsesNaps {
                    void f(CompletableFuture<String> cf, Naps naps) {
                        cf.thenRun(() -> naps.nap());
                    }
                }
                """);
        assertEquals(List.of(), WeftScan.scan(options(src).build()).findings());
        Path extra = write("acme-apis.txt", "# our own blocking calls\nblocking sleep com.acme.Naps nap\n");
        ScanResult r = WeftScan.scan(options(src).blockingApi(extra).build());
        assertEquals(List.of(Rule.WEFT106), r.findings().stream().map(Finding::rule).toList());
    }

    @Test
    void aBadCatalogueLineSaysWhereAndWhat() throws IOException {
        Path src = write("Clean.java", "class Clean { }");
        Path extra = write("bad.txt", "\nblocking teleport com.acme.X y\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeftScan.scan(options(src).blockingApi(extra).build()));
        assertTrue(e.getMessage().startsWith(extra + ":2: bad catalogue line 'blocking teleport com.acme.X y'"),
                e.getMessage());
    }

    @Test
    void sourceArchivesAreScannedEntryByEntry() throws IOException {
        Path jar = dir.resolve("lib-sources.jar");
        try (OutputStream os = Files.newOutputStream(jar); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry("demo/Sleepy.java"));
            z.write(SLEEPY.getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        ScanResult r = WeftScan.scan(options(jar).build());
        assertEquals("lib-sources.jar!/demo/Sleepy.java", r.findings().get(0).path());
        assertEquals(SLEEPY.lines().count(), r.lines());
    }

    @Test
    void excludedFilesAreNotScannedAndTestRootsAreJudgedOnTheAbsolutePath() throws IOException {
        String sleepInMain = "class Nap { void f() throws Exception { Thread.sleep(1); } }";
        write("src/test/java/NapTest.java", sleepInMain);
        write("src/test/resources/fixtures/Nap.java", sleepInMain);
        write("gen/Generated.java", "class Generated { void f() { Thread.startVirtualThread(() -> work()); } void work() { } }");
        ScanResult r = WeftScan.scan(options(dir).exclude("gen/**").build());
        assertEquals(List.of("src/test/java/NapTest.java"), r.findings().stream().map(Finding::path).toList());
        assertEquals(List.of(Rule.WEFT305), r.findings().stream().map(Finding::rule).toList());
        assertEquals(2, r.files());
    }

    @Test
    void selectAndIgnoreTakeIdsAndPrefixes() {
        ScanOptions o = ScanOptions.builder().path(dir).select(List.of("WEFT3")).ignore(List.of("WEFT303")).build();
        assertEquals(java.util.Set.of(Rule.WEFT301, Rule.WEFT302, Rule.WEFT304, Rule.WEFT305), o.rules());
        ScanOptions d = ScanOptions.builder().path(dir).build();
        assertTrue(!d.rules().contains(Rule.WEFT108) && d.rules().contains(Rule.WEFT101), "WEFT108 is opt-in");
        assertEquals(Rule.values().length, ScanOptions.builder().path(dir).select(List.of("ALL")).build().rules().size());
    }

    @Test
    void invalidOptionsSayExactlyWhatIsWrong() {
        assertEquals("unknown rule 'WEFT999' in --select; ids look like WEFT101 (see docs/scan)",
                assertThrows(IllegalArgumentException.class,
                        () -> ScanOptions.builder().select(List.of("WEFT999"))).getMessage());
        assertEquals("--release must be between 8 and " + Runtime.version().feature() + ", got 7",
                assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().release(7)).getMessage());
        assertEquals("--threads must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().threads(0)).getMessage());
        assertEquals("no paths to scan",
                assertThrows(IllegalArgumentException.class, () -> ScanOptions.builder().build()).getMessage());
        assertEquals("unknown format 'xml'; expected one of text, json, sarif",
                assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse("xml")).getMessage());
    }

    @Test
    void aMissingPathIsAUsageErrorWithItsName() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WeftScan.run(options(dir.resolve("nope")).build(), quiet(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.USAGE_OR_PARSE_ERROR, code);
        assertEquals("weft scan: no such file or directory: " + dir.resolve("nope") + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    private static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    }
}
