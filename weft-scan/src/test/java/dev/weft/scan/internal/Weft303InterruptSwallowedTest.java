package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft303InterruptSwallowed}. */
class Weft303InterruptSwallowedTest {
    @Test
    void flagsADroppedInterrupt() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "class A {",
                        "    int f() {",
                        "        try {",
                        "            Thread.sleep(1);",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.err.println(\"interrupted\");",
                        "        }",
                        "        return 1;",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void acceptsLegitimateHandling() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/B.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class B {",
                        "    static RuntimeException sneaky(Throwable t) { return new RuntimeException(t); }",
                        "    void rethrow() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { throwAsUnchecked(e); }",
                        "    }",
                        "    static void throwAsUnchecked(Throwable t) { }",
                        "    void failsAFuture(CompletableFuture<String> f) {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { f.completeExceptionally(e); }",
                        "    }",
                        "    void cannotHappen() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException cannotHappen) { }",
                        "    }",
                        "    Exception returnsIt() {",
                        "        try { Thread.sleep(1); return null; } catch (InterruptedException e) { return e; }",
                        "    }",
                        "    void endsTheThread() {",
                        "        new Thread(() -> {",
                        "            try { Thread.sleep(1); } catch (InterruptedException e) { System.err.println(\"stopping\"); }",
                        "        }).start();",
                        "    }",
                        "    static final class Worker extends Thread {",
                        "        @Override",
                        "        public void run() {",
                        "            try { Thread.sleep(1); } catch (InterruptedException e) { System.err.println(\"stopping\"); }",
                        "        }",
                        "    }",
                        "}")
                .add("src/test/java/p/BTest.java",
                        "package p;",
                        "class BTest {",
                        "    void interruptIsExpected() {",
                        "        Thread.currentThread().interrupt();",
                        "        try { Thread.sleep(1); } catch (InterruptedException expected) { }",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aTaskWhoseTryIsFollowedOnlyByItsReturnEndsWithTheInterrupt() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/R.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class R {",
                        "    void f(ExecutorService pool, CountDownLatch latch) {",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                latch.await();",
                        "            } catch (InterruptedException e) {",
                        "                System.out.println(\"stopped\");",
                        "            }",
                        "            return null;",
                        "        });",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                latch.await();",
                        "            } catch (InterruptedException e) { // expect: WEFT303",
                        "                System.out.println(\"stopped\");",
                        "            }",
                        "            latch.countDown();",
                        "            return null;",
                        "        });",
                        "    }",
                        "    String helper(CountDownLatch latch) {",
                        "        try {",
                        "            latch.await();",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.out.println(\"stopped\");",
                        "        }",
                        "        return \"carry on\";",
                        "    }",
                        "}")
                .test();
    }

    /** What docs/scan/WEFT303.md says counts as handling, matched loosely on names (a known source of misses). */
    @Test
    void anyInterruptCallATestFailureOrAFlagSetToTrueCountsAsHandled() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/L.java",
                        "package p;",
                        "class L {",
                        "    boolean done;",
                        "    void wakesAnother(Thread worker) {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { worker.interrupt(); }",
                        "    }",
                        "    void failsTheTest() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { fail(\"interrupted\"); }",
                        "    }",
                        "    static void fail(String why) { throw new AssertionError(why); }",
                        "    void setsAFlag() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { done = true; }",
                        "    }",
                        "    void setsNothing() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { done = false; } // expect: WEFT303",
                        "    }",
                        "}")
                .test();
    }
}
