package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft301IgnoredTaskResult}. */
class Weft301IgnoredTaskResultTest {
    @Test
    void flagsADroppedFutureButNotATaskThatReportsItsOwnFailures() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class A {",
                        "    void f(ExecutorService pool) {",
                        "        pool.submit(() -> work()); // expect: WEFT301",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                work();",
                        "            } catch (Throwable t) {",
                        "                System.getLogger(\"a\").log(System.Logger.Level.ERROR, \"work failed\", t);",
                        "            }",
                        "        });",
                        "        Future<?> kept = pool.submit(() -> work());",
                        "    }",
                        "    void work() { }",
                        "}")
                .test();
    }
}
