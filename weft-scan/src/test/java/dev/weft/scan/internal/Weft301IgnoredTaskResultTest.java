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

    /** A task written as an anonymous {@code Runnable}/{@code Callable} (inline, or in a local variable) whose body ends in a {@code try} that catches {@code Exception} and reports it, or whose body only calls a method of its class that does (Curator's TreeCache, DistributedQueue's {@code runLoop()}, LockingExample): no failure is lost. A body that reports nothing, or calls a method that does not report, keeps the finding. */
    @Test
    void anAnonymousTaskOrATaskCallingAReportingMethodOfItsClassIsNotFlagged() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/T.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class T {",
                        "    private final ExecutorService service = Executors.newSingleThreadExecutor();",
                        "    void start() {",
                        "        service.submit(new Runnable() {",
                        "            @Override",
                        "            public void run() {",
                        "                try {",
                        "                    work();",
                        "                } catch (Exception e) {",
                        "                    System.err.println(\"work failed: \" + e);",
                        "                }",
                        "            }",
                        "        });",
                        "        service.submit(new Callable<Object>() {",
                        "            @Override",
                        "            public Object call() {",
                        "                runLoop();",
                        "                return null;",
                        "            }",
                        "        });",
                        "        service.submit(() -> {",
                        "            runLoop();",
                        "            return null;",
                        "        });",
                        "        Callable<Void> task = new Callable<Void>() {",
                        "            @Override",
                        "            public Void call() throws Exception {",
                        "                try {",
                        "                    work();",
                        "                } catch (InterruptedException e) {",
                        "                    Thread.currentThread().interrupt();",
                        "                } catch (Exception e) {",
                        "                    e.printStackTrace();",
                        "                }",
                        "                return null;",
                        "            }",
                        "        };",
                        "        service.submit(task);",
                        "        service.submit(new Runnable() { // expect: WEFT301",
                        "            @Override",
                        "            public void run() {",
                        "                work();",
                        "            }",
                        "        });",
                        "        service.submit(new Callable<Object>() { // expect: WEFT301",
                        "            @Override",
                        "            public Object call() {",
                        "                bare();",
                        "                return null;",
                        "            }",
                        "        });",
                        "        Runnable plain = () -> work();",
                        "        service.submit(plain); // expect: WEFT301",
                        "    }",
                        "    void work() { }",
                        "    void bare() {",
                        "        work();",
                        "    }",
                        "    private void runLoop() {",
                        "        try {",
                        "            while (!Thread.currentThread().isInterrupted()) {",
                        "                work();",
                        "            }",
                        "        } catch (Exception e) {",
                        "            System.err.println(\"loop failed: \" + e);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
