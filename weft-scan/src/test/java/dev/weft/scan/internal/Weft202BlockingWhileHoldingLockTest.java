package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft202BlockingWhileHoldingLock}. */
class Weft202BlockingWhileHoldingLockTest {
    @Test
    void flagsSleepUnderAMonitorOrLockButNotWaitsOrFileIo() {
        CheckTester.of(Rule.WEFT202)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.locks.*;",
                        "class A {",
                        "    private final ReentrantLock lock = new ReentrantLock();",
                        "    private final Condition c = lock.newCondition();",
                        "    synchronized void f() throws InterruptedException {",
                        "        Thread.sleep(1); // expect: WEFT202",
                        "    }",
                        "    void g() throws Exception {",
                        "        lock.lock();",
                        "        try {",
                        "            Thread.sleep(1); // expect: WEFT202",
                        "            c.await();",
                        "            java.nio.file.Files.readString(java.nio.file.Path.of(\"x\"));",
                        "        } finally {",
                        "            lock.unlock();",
                        "        }",
                        "        Thread.sleep(1);",
                        "    }",
                        "}")
                .test();
    }
}
