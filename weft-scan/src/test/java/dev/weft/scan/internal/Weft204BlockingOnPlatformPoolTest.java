package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft204BlockingOnPlatformPool}. */
class Weft204BlockingOnPlatformPoolTest {
    @Test
    void flagsSleepOnAFixedPoolButNotOnVirtualThreads() {
        CheckTester.of(Rule.WEFT204)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class A {",
                        "    void f() {",
                        "        ExecutorService pool = Executors.newFixedThreadPool(4);",
                        "        ExecutorService v = Executors.newVirtualThreadPerTaskExecutor();",
                        "        pool.execute(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }); // expect: WEFT204",
                        "        v.execute(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } });",
                        "    }",
                        "}")
                .test();
    }
}
