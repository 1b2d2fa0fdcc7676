package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft103FileInNonBlocking}. */
class Weft103FileInNonBlockingTest {
    @Test
    void flagsFileReadsInAParallelStreamOnly() {
        CheckTester.of(Rule.WEFT103)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.nio.file.*;",
                        "import java.util.List;",
                        "class A {",
                        "    void f(List<Path> ps) throws java.io.IOException {",
                        "        ps.parallelStream().forEach(x -> { try { Files.readString(x); } catch (java.io.IOException e) { throw new RuntimeException(e); } }); // expect: WEFT103",
                        "        Files.readString(ps.get(0));",
                        "    }",
                        "}")
                .test();
    }
}
