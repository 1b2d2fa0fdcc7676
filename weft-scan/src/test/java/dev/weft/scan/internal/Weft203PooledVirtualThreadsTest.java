package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft203PooledVirtualThreads}. */
class Weft203PooledVirtualThreadsTest {
    @Test
    void flagsAFixedPoolOfVirtualThreadsOnly() {
        CheckTester.of(Rule.WEFT203)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class A {",
                        "    ExecutorService a = Executors.newFixedThreadPool(8, Thread.ofVirtual().factory()); // expect: WEFT203",
                        "    ExecutorService b = Executors.newFixedThreadPool(8);",
                        "    ExecutorService c = Executors.newVirtualThreadPerTaskExecutor();",
                        "}")
                .test();
    }
}
