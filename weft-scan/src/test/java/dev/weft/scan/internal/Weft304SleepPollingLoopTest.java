package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft304SleepPollingLoop}. */
class Weft304SleepPollingLoopTest {
    @Test
    void flagsAnUnboundedPollButNotDeadlinesRetriesOrWaitHelpers() {
        CheckTester.of(Rule.WEFT304)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.atomic.AtomicBoolean;",
                        "class A {",
                        "    void f(AtomicBoolean done) throws InterruptedException {",
                        "        while (!done.get()) { // expect: WEFT304",
                        "            Thread.sleep(10);",
                        "        }",
                        "        long deadline = System.nanoTime() + 1_000_000_000L;",
                        "        while (!done.get() && System.nanoTime() < deadline) {",
                        "            Thread.sleep(10);",
                        "        }",
                        "        int retries = 3;",
                        "        while (!done.get() && retries-- > 0) {",
                        "            Thread.sleep(10);",
                        "        }",
                        "    }",
                        "    static void waitUntil(AtomicBoolean cond) throws InterruptedException {",
                        "        while (!cond.get()) {",
                        "            Thread.sleep(10);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
