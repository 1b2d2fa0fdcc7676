package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft205ThreadLocalCacheOnVirtual}. */
class Weft205ThreadLocalCacheOnVirtualTest {
    @Test
    void flagsAThreadLocalCacheReadOnAVirtualThread() {
        CheckTester.of(Rule.WEFT205)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.text.SimpleDateFormat;",
                        "class A {",
                        "    private static final ThreadLocal<SimpleDateFormat> FMT = ThreadLocal.withInitial(() -> new SimpleDateFormat(\"yyyy\"));",
                        "    private static final ThreadLocal<String> PLAIN = new ThreadLocal<>();",
                        "    void f() {",
                        "        Thread.startVirtualThread(() -> FMT.get().format(new java.util.Date())); // expect: WEFT205",
                        "        Thread.startVirtualThread(() -> PLAIN.get());",
                        "        FMT.get();",
                        "    }",
                        "}")
                .test();
    }
}
