package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft105ConsoleInNonBlocking}. */
class Weft105ConsoleInNonBlockingTest {
    @Test
    void flagsStdinReadsInACallbackButNotOtherStreams() {
        CheckTester.of(Rule.WEFT105)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "import java.io.*;",
                        "class A {",
                        "    void f(CompletableFuture<String> cf, InputStream other) {",
                        "        cf.thenRun(() -> { try { System.in.read(); } catch (IOException e) { throw new UncheckedIOException(e); } }); // expect: WEFT105",
                        "        cf.thenRun(() -> { try { other.read(); } catch (IOException e) { throw new UncheckedIOException(e); } });",
                        "    }",
                        "}")
                .test();
    }
}
