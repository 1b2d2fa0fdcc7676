package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft206NoopThreadApiOnVirtual}. */
class Weft206NoopThreadApiOnVirtualTest {
    @Test
    void flagsPriorityOnABuiltVirtualThreadOnly() {
        CheckTester.of(Rule.WEFT206)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "class A {",
                        "    void f() {",
                        "        Thread v = Thread.ofVirtual().unstarted(() -> { });",
                        "        v.setPriority(Thread.MAX_PRIORITY); // expect: WEFT206",
                        "        Thread p = new Thread(() -> { });",
                        "        p.setPriority(Thread.MAX_PRIORITY);",
                        "    }",
                        "}")
                .test();
    }
}
