package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft301IgnoredTaskResult}. */
class Weft301IgnoredTaskResultTest {
    @Test
    void flagsADroppedFutureButNotATaskThatReportsItsOwnFailures() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class A {",
                        "    void f(ExecutorService pool) {",
                        "        pool.submit(() -> work()); // expect: WEFT301",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                work();",
                        "            } catch (Throwable t) {",
                        "                System.getLogger(\"a\").log(System.Logger.Level.ERROR, \"work failed\", t);",
                        "            }",
                        "        });",
                        "        Future<?> kept = pool.submit(() -> work());",
                        "    }",
                        "    void work() { }",
                        "}")
                .test();
    }

    @Test
    void aMethodReferenceToARunMethodThatReportsItsOwnFailuresIsNotFlagged() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/W.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class W {",
                        "    void start(ExecutorService pool) {",
                        "        pool.submit(this::run);",
                        "        pool.submit(this::bare); // expect: WEFT301",
                        "        pool.submit(this::twice); // expect: WEFT301",
                        "    }",
                        "    private void run() {",
                        "        try {",
                        "            write();",
                        "        } catch (Throwable e) {",
                        "            fail(e);",
                        "        }",
                        "    }",
                        "    private void bare() { write(); }",
                        "    private void twice() {",
                        "        try { write(); } catch (Throwable e) { fail(e); }",
                        "    }",
                        "    private void twice(int n) { write(); }",
                        "    void write() { }",
                        "    void fail(Throwable e) { }",
                        "}")
                .test();
    }

    @Test
    void aTaskBehindAWrapperIsJudgedByTheTaskItWraps() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/C.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class C {",
                        "    static Runnable withLoader(ClassLoader l, Runnable r) { return r; }",
                        "    void f(ExecutorService pool, ClassLoader loader) {",
                        "        pool.submit(withLoader(loader, () -> {",
                        "            try {",
                        "                work();",
                        "            } catch (Throwable t) {",
                        "                report(t);",
                        "            }",
                        "        }));",
                        "        pool.submit(withLoader(loader, () -> work())); // expect: WEFT301",
                        "        pool.submit(withLoader(loader, () -> { // expect: WEFT301",
                        "            work();",
                        "        }));",
                        "    }",
                        "    void work() { }",
                        "    void report(Throwable t) { }",
                        "}")
                .test();
    }

    @Test
    void aTaskThatCallsAMethodOfThisClassWhichReportsItsFailuresOrHandsOnACallbackIsNotFlagged() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/H.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class H {",
                        "    interface Callback { void onCompletion(Throwable t); }",
                        "    interface Log { Future<?> send(String k, Callback c); }",
                        "    void put(String k, Callback callback) {",
                        "        try {",
                        "            work(k);",
                        "        } catch (Throwable t) {",
                        "            callback.onCompletion(t);",
                        "        }",
                        "    }",
                        "    void bare(String k, int n) { work(k); }",
                        "    void work(String k) { }",
                        "    void f(ExecutorService pool, Log log, Callback callback, String k) {",
                        "        pool.submit(() -> put(k, callback));",
                        "        pool.submit(() -> bare(k, 1)); // expect: WEFT301",
                        "        log.send(k, new Callback() {",
                        "            @Override",
                        "            public void onCompletion(Throwable t) {",
                        "                pool.submit(() -> log.send(k, this));",
                        "            }",
                        "        });",
                        "        pool.submit(() -> log.send(k, null)); // expect: WEFT301",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aTryInsideAnIfFollowedByReturnNullStillReportsTheFailures() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/M.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class M {",
                        "    volatile boolean cancelled;",
                        "    void f(ExecutorService pool, CompletableFuture<String> out, Callable<String> c) {",
                        "        pool.submit((Callable<Void>) () -> {",
                        "            if (!cancelled) {",
                        "                try {",
                        "                    out.complete(c.call());",
                        "                } catch (Throwable t) {",
                        "                    out.completeExceptionally(t);",
                        "                }",
                        "            }",
                        "            return null;",
                        "        });",
                        "        pool.submit((Callable<Void>) () -> { // expect: WEFT301",
                        "            if (!cancelled) {",
                        "                out.complete(c.call());",
                        "            }",
                        "            return null;",
                        "        });",
                        "    }",
                        "}")
                .test();
    }
}
