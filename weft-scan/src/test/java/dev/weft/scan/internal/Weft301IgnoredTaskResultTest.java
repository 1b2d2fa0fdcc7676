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

    @Test
    void aMethodReferenceToARunMethodThatReportsItsOwnFailuresIsNotFlagged() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/W.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class W {",
                        "    void start(ExecutorService pool) {",
                        "        pool.submit(this::run);",
                        "        pool.submit(this::bare); // expect: WEFT301",
                        "        pool.submit(this::twice); // expect: WEFT301",
                        "    }",
                        "    private void run() {",
                        "        try {",
                        "            write();",
                        "        } catch (Throwable e) {",
                        "            fail(e);",
                        "        }",
                        "    }",
                        "    private void bare() { write(); }",
                        "    private void twice() {",
                        "        try { write(); } catch (Throwable e) { fail(e); }",
                        "    }",
                        "    private void twice(int n) { write(); }",
                        "    void write() { }",
                        "    void fail(Throwable e) { }",
                        "}")
                .test();
    }
}
