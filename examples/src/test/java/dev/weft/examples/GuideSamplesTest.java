package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guides' code blocks are the tagged regions of compiled sources, to the character. */
class GuideSamplesTest {
    static final Path REPO = Path.of(System.getProperty("weft.repo", "..")).toAbsolutePath().normalize();

    @Test
    void everyIncludedBlockEqualsItsSourceRegion() {
        List<GuideSamples.Include> all = GuideSamples.process(REPO, false);
        String problems = all.stream().filter(i -> !i.inSync()).map(GuideSamples.Include::problem)
                .collect(Collectors.joining("\n"));
        assertEquals("", problems);
    }

    @Test
    void everyGuideIncludesCompiledSamples() {
        Set<String> withIncludes = GuideSamples.process(REPO, false).stream()
                .map(i -> i.guide().getFileName().toString()).collect(Collectors.toSet());
        for (String guide : List.of("concurrency-patterns.md", "http-patterns.md", "mixing-sync-async.md",
                "debugging.md", "production-patterns.md", "error-handling.md")) {
            assertTrue(withIncludes.contains(guide), guide + " has no include");
        }
    }

    @Test
    void aChangedBlockOrAMissingRegionIsReportedAndWriteRepairsTheBlock(@TempDir Path repo) throws Exception {
        Path src = repo.resolve("examples/A.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                class A {
                    // tag::outer[]
                    void a() {
                        // tag::inner[]
                        int x = 1;
                        // end::inner[]
                    }
                    // end::outer[]
                }
                """);
        Path guide = repo.resolve("docs/g.md");
        Files.createDirectories(guide.getParent());
        Files.writeString(guide, """
                # G
                <!-- include: examples/A.java#outer -->
                ```java
                void a() {
                    int x = 2;
                }
                ```
                <!-- include: examples/A.java#inner -->
                ```java
                int x = 1;
                ```
                <!-- include: examples/A.java#gone -->
                ```java
                ```
                """);
        List<GuideSamples.Include> before = GuideSamples.process(repo, false);
        assertEquals(3, before.size());
        assertFalse(before.get(0).inSync(), "edited block");
        assertTrue(before.get(0).problem().contains("differs from examples/A.java#outer"), before.get(0).problem());
        assertTrue(before.get(1).inSync(), "nested region, dedented");
        assertNull(before.get(2).expected());
        assertTrue(before.get(2).problem().contains("region 'gone' not found"), before.get(2).problem());

        GuideSamples.process(repo, true);
        List<GuideSamples.Include> after = GuideSamples.process(repo, false);
        assertTrue(after.get(0).inSync());
        assertTrue(Files.readString(guide).contains("void a() {\n    int x = 1;\n}\n```"), Files.readString(guide));
        assertFalse(after.get(2).inSync(), "a missing region is not fixed by rewriting");
    }
}
