package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft201SynchronizedBlockingPins}. */
class Weft201SynchronizedBlockingPinsTest {
    @Test
    void flagsBlockingInsideSynchronizedOnJdk21() {
        CheckTester.of(Rule.WEFT201).release(21)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "class A {",
                        "    synchronized void f() throws InterruptedException {",
                        "        Thread.sleep(1); // expect: WEFT201",
                        "    }",
                        "    void g() throws InterruptedException {",
                        "        Thread.sleep(1);",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void doesNotFlagItFromJdk24On() {
        CheckTester.of(Rule.WEFT201).release(24)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "class A {",
                        "    synchronized void f() throws InterruptedException {",
                        "        Thread.sleep(1);",
                        "    }",
                        "}")
                .test();
    }
}
