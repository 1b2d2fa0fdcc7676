package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

class Weft106SleepInNonBlockingTest {
    @Test
    void flagsSleepInAStageCallbackAndInAHelperItReaches() {
        CheckTester.of(Rule.WEFT106).add("src/main/java/p/A.java",
                "package p;",
                "import java.util.concurrent.CompletableFuture;",
                "class A {",
                "    void f(CompletableFuture<String> cf) {",
                "        cf.thenRun(() -> nap());",
                "        cf.thenRun(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } }); // expect: WEFT106",
                "    }",
                "    private void nap() {",
                "        try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } // expect: WEFT106",
                "    }",
                "}").test();
    }

    @Test
    void doesNotFlagSleepWithAnExecutorOrOnAVirtualThread() {
        CheckTester.of(Rule.WEFT106).add("src/main/java/p/B.java",
                "package p;",
                "import java.util.concurrent.CompletableFuture;",
                "import java.util.concurrent.Executors;",
                "class B {",
                "    void f(CompletableFuture<String> cf) throws InterruptedException {",
                "        var vt = Executors.newVirtualThreadPerTaskExecutor();",
                "        cf.thenRunAsync(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } }, vt);",
                "        Thread.ofVirtual().start(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } });",
                "        Thread.sleep(1);",
                "    }",
                "}").test();
    }
}
