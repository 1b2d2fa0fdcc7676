package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft305SleepInTest}. */
class Weft305SleepInTestTest {
    @Test
    void flagsASleepOnTheTestThreadOnly() {
        CheckTester.of(Rule.WEFT305)
                .add("src/test/java/p/ATest.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class ATest {",
                        "    @org.junit.jupiter.api.Test",
                        "    void waitsBySleeping(ExecutorService pool) throws Exception {",
                        "        pool.submit(() -> { });",
                        "        Thread.sleep(100); // expect: WEFT305",
                        "        pool.submit(() -> { try { Thread.sleep(100); } catch (InterruptedException e) { throw new RuntimeException(e); } });",
                        "        for (int i = 0; i < 3; i++) {",
                        "            Thread.sleep(1);",
                        "        }",
                        "    }",
                        "    static void awaitQuietly() throws InterruptedException {",
                        "        Thread.sleep(5);",
                        "    }",
                        "}")
                .add("src/main/java/p/Main.java",
                        "package p;",
                        "class Main {",
                        "    void f() throws InterruptedException {",
                        "        Thread.sleep(1);",
                        "    }",
                        "}")
                .test();
    }
}
