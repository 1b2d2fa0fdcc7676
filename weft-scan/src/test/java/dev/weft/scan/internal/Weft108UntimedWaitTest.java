package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft108UntimedWait}. */
class Weft108UntimedWaitTest {
    @Test
    void flagsUntimedWaitsButNotTimedOnesOrCompletedFutures() {
        CheckTester.of(Rule.WEFT108)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class A {",
                        "    void f(CompletableFuture<String> cf, CountDownLatch latch) throws Exception {",
                        "        cf.join(); // expect: WEFT108",
                        "        latch.await(); // expect: WEFT108",
                        "        latch.await(1, TimeUnit.SECONDS);",
                        "        cf.get(1, TimeUnit.SECONDS);",
                        "        CompletableFuture.completedFuture(\"x\").join();",
                        "        if (cf.isDone()) {",
                        "            cf.join();",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
