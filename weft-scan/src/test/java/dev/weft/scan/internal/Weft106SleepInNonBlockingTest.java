package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft106SleepInNonBlocking}. */
class Weft106SleepInNonBlockingTest {
    @Test
    void flagsSleepInAStageCallbackAndInAHelperItReaches() {
        CheckTester.of(Rule.WEFT106)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class A {",
                        "    void f(CompletableFuture<String> cf) {",
                        "        cf.thenRun(() -> nap());",
                        "        cf.thenRun(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } }); // expect: WEFT106",
                        "    }",
                        "    private void nap() {",
                        "        try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } // expect: WEFT106",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void doesNotFlagSleepWithAnExecutorOnAVirtualThreadOrInATest() {
        CheckTester.of(Rule.WEFT106)
                .add("src/main/java/p/B.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class B {",
                        "    void f(CompletableFuture<String> cf) throws InterruptedException {",
                        "        var vt = Executors.newVirtualThreadPerTaskExecutor();",
                        "        cf.thenRunAsync(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } }, vt);",
                        "        Thread.ofVirtual().start(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } });",
                        "        Thread.sleep(1);",
                        "    }",
                        "}")
                .add("src/test/java/p/SlowHandlerTest.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class SlowHandlerTest {",
                        "    void slowCallback(CompletableFuture<String> cf) {",
                        "        cf.thenRun(() -> { try { Thread.sleep(5); } catch (InterruptedException e) { throw new RuntimeException(e); } });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void overloadsAreToldApartByArity() {
        CheckTester.of(Rule.WEFT106)
                .add("src/main/java/p/C.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "import java.util.List;",
                        "class C {",
                        "    void f(CompletableFuture<String> cf) {",
                        "        cf.thenApply(this::nodes);",
                        "    }",
                        "    List<String> nodes(String s) {",
                        "        return List.of(s);",
                        "    }",
                        "    List<String> nodes() {",
                        "        try { Thread.sleep(5); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }",
                        "        return List.of();",
                        "    }",
                        "}")
                .test();
    }
}
