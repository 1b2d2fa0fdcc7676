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

    /** A counted {@code for} loop is a retry budget: 30 tries, then the caller checks (ZooKeeper's QuorumTest). */
    @Test
    void aCountedForLoopIsARetryBudget() {
        CheckTester.of(Rule.WEFT304)
                .add("src/test/java/p/BTest.java",
                        "package p;",
                        "class BTest {",
                        "    volatile boolean disco;",
                        "    void counted() throws InterruptedException {",
                        "        for (int i = 0; i < 30; i++) {",
                        "            if (disco) {",
                        "                break;",
                        "            }",
                        "            Thread.sleep(1000);",
                        "        }",
                        "    }",
                        "    void endless() throws InterruptedException {",
                        "        for (;;) { // expect: WEFT304",
                        "            if (disco) {",
                        "                break;",
                        "            }",
                        "            Thread.sleep(1000);",
                        "        }",
                        "        for (int i = 0; ; i++) { // expect: WEFT304",
                        "            if (disco) {",
                        "                break;",
                        "            }",
                        "            Thread.sleep(1000);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }

    /** {@code while (!Thread.currentThread().isInterrupted()) sleep(1000);}: the loop holds until the thread is interrupted, and the sleep wakes at once when it is, so nothing is polled late (Curator's TestLeaderSelectorWithExecutor). Any other operand, or an exit in the body, still polls. */
    @Test
    void aLoopThatOnlyWaitsForTheInterruptDoesNotPoll() {
        CheckTester.of(Rule.WEFT304)
                .add("src/test/java/p/ITest.java",
                        "package p;",
                        "class ITest extends Thread {",
                        "    volatile boolean done;",
                        "    void holdUntilInterrupted() throws InterruptedException {",
                        "        while (!Thread.currentThread().isInterrupted()) {",
                        "            Thread.sleep(1000);",
                        "        }",
                        "        while (!Thread.interrupted()) {",
                        "            Thread.sleep(1000);",
                        "        }",
                        "        while (!isInterrupted()) {",
                        "            Thread.sleep(1000);",
                        "        }",
                        "    }",
                        "    void holdsToo() throws InterruptedException {",
                        "        while (!done && !Thread.currentThread().isInterrupted()) { // expect: WEFT304",
                        "            Thread.sleep(1000);",
                        "        }",
                        "        while (!Thread.currentThread().isInterrupted()) { // expect: WEFT304",
                        "            if (done) {",
                        "                break;",
                        "            }",
                        "            Thread.sleep(1000);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
