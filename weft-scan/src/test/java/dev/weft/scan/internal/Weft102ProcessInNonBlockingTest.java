package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft102ProcessInNonBlocking}. */
class Weft102ProcessInNonBlockingTest {
    @Test
    void flagsProcessWaitInAStageCallbackOnly() {
        CheckTester.of(Rule.WEFT102)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class A {",
                        "    void f(CompletableFuture<String> cf, Process p) throws InterruptedException {",
                        "        cf.thenRun(() -> { try { p.waitFor(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }); // expect: WEFT102",
                        "        p.waitFor();",
                        "    }",
                        "}")
                .test();
    }
}
