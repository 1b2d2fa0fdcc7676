package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft305SleepInTest}. */
class Weft305SleepInTestTest {
    @Test
    void flagsASleepOnTheTestThreadOnly() {
        CheckTester.of(Rule.WEFT305)
                .add("src/test/java/p/ATest.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class ATest {",
                        "    @org.junit.jupiter.api.Test",
                        "    void waitsBySleeping(ExecutorService pool) throws Exception {",
                        "        pool.submit(() -> { });",
                        "        Thread.sleep(100); // expect: WEFT305",
                        "        pool.submit(() -> { try { Thread.sleep(100); } catch (InterruptedException e) { throw new RuntimeException(e); } });",
                        "        for (int i = 0; i < 3; i++) {",
                        "            Thread.sleep(1);",
                        "        }",
                        "    }",
                        "    static void awaitQuietly() throws InterruptedException {",
                        "        Thread.sleep(5);",
                        "    }",
                        "}")
                .add("src/main/java/p/Main.java",
                        "package p;",
                        "class Main {",
                        "    void f() throws InterruptedException {",
                        "        Thread.sleep(1);",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void sleepsInInlineVerticlesAndFakeCollaboratorsAreNotTheTestThread() {
        CheckTester.of(Rule.WEFT305)
                .add("src/test/java/p/BTest.java",
                        "package p;",
                        "import org.junit.jupiter.api.Nested;",
                        "import org.junit.jupiter.api.Test;",
                        "class BTest {",
                        "    @Test",
                        "    void blockedThreadIsReported() throws Exception {",
                        "        Runnable verticle = new Runnable() {",
                        "            public void run() {",
                        "                try { Thread.sleep(1000); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }",
                        "            }",
                        "        };",
                        "        class Local {",
                        "            void slow() throws InterruptedException { Thread.sleep(5); }",
                        "        }",
                        "        Thread.sleep(50); // expect: WEFT305",
                        "    }",
                        "    static class SlowSelector {",
                        "        String select() throws InterruptedException {",
                        "            Thread.sleep(1);",
                        "            return \"node\";",
                        "        }",
                        "    }",
                        "    @Nested",
                        "    class WhenStarted {",
                        "        @Test",
                        "        void waits() throws Exception {",
                        "            Thread.sleep(10); // expect: WEFT305",
                        "        }",
                        "    }",
                        "    static class MoreTests {",
                        "        @org.junit.jupiter.params.ParameterizedTest",
                        "        void waits() throws Exception {",
                        "            Thread.sleep(10); // expect: WEFT305",
                        "        }",
                        "    }",
                        "}")
                .test();
    }

    /** A private helper of the test class that is called only from tasks (lambdas, anonymous classes) runs on the pool's threads, not the test's: its sleep is simulated work (Curator's TestInterProcessReadWriteLock {@code doLocking}). A helper the test method calls itself keeps the finding. */
    @Test
    void aSleepInAHelperOnlyTasksCallIsNotOnTheTestThread() {
        CheckTester.of(Rule.WEFT305)
                .add("src/test/java/p/HTest.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "import org.junit.jupiter.api.Test;",
                        "class HTest {",
                        "    @Test",
                        "    void contention() throws Exception {",
                        "        ExecutorService pool = Executors.newCachedThreadPool();",
                        "        pool.submit(() -> {",
                        "            doLocking(1);",
                        "            return null;",
                        "        });",
                        "        pool.submit(new Callable<Void>() {",
                        "            @Override",
                        "            public Void call() throws Exception {",
                        "                doLocking(2);",
                        "                return null;",
                        "            }",
                        "        });",
                        "        settle();",
                        "        pool.submit(() -> {",
                        "            settle();",
                        "            return null;",
                        "        });",
                        "    }",
                        "    private void doLocking(int n) throws InterruptedException {",
                        "        Thread.sleep(n);",
                        "    }",
                        "    private void settle() throws InterruptedException {",
                        "        Thread.sleep(100); // expect: WEFT305",
                        "    }",
                        "}")
                .test();
    }
}
