package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft101NetworkInNonBlocking}. */
class Weft101NetworkInNonBlockingTest {
    @Test
    void flagsSocketIoInAStageCallbackButNotOnAVirtualThread() {
        CheckTester.of(Rule.WEFT101)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class A {",
                        "    void f(CompletableFuture<String> cf, java.net.http.HttpClient c, java.net.http.HttpRequest r) {",
                        "        cf.thenRun(() -> { try { c.send(r, java.net.http.HttpResponse.BodyHandlers.ofString()); } catch (Exception e) { throw new RuntimeException(e); } }); // expect: WEFT101",
                        "        Thread.startVirtualThread(() -> { try { c.send(r, java.net.http.HttpResponse.BodyHandlers.ofString()); } catch (Exception e) { throw new RuntimeException(e); } });",
                        "    }",
                        "}")
                .test();
    }
}
