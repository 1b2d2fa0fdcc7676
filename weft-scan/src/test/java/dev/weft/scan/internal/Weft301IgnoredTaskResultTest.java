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

    @Test
    void aRunnableCatchingRuntimeExceptionReportsEverythingItCanThrow() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/R.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class R {",
                        "    private final ExecutorService executor = Executors.newSingleThreadExecutor();",
                        "    static final class Scoped implements Runnable {",
                        "        private final Runnable task;",
                        "        Scoped(Runnable task) { this.task = task; }",
                        "        @Override public void run() { task.run(); }",
                        "    }",
                        "    void start() {",
                        "        executor.submit(() -> {",
                        "            try {",
                        "                work();",
                        "            } catch (RuntimeException e) {",
                        "                report(e);",
                        "            } finally {",
                        "                done();",
                        "            }",
                        "        });",
                        "        executor.submit(new Scoped(() -> {",
                        "            try {",
                        "                work();",
                        "            } catch (RuntimeException e) {",
                        "                report(e);",
                        "            }",
                        "        }));",
                        "        executor.submit(new Runnable() {",
                        "            @Override",
                        "            public void run() {",
                        "                try {",
                        "                    work();",
                        "                } catch (IllegalStateException | RuntimeException e) {",
                        "                    report(e);",
                        "                }",
                        "            }",
                        "        });",
                        "        executor.submit(() -> { // expect: WEFT301",
                        "            try {",
                        "                return load();",
                        "            } catch (RuntimeException e) {",
                        "                report(e);",
                        "                return null;",
                        "            }",
                        "        });",
                        "        executor.submit(new Callable<Object>() { // expect: WEFT301",
                        "            @Override",
                        "            public Object call() throws Exception {",
                        "                try {",
                        "                    return load();",
                        "                } catch (RuntimeException e) {",
                        "                    report(e);",
                        "                }",
                        "                return null;",
                        "            }",
                        "        });",
                        "        executor.submit(() -> { // expect: WEFT301",
                        "            try {",
                        "                work();",
                        "            } catch (IllegalStateException e) {",
                        "                report(e);",
                        "            }",
                        "        });",
                        "        executor.submit(() -> { // an empty catch-all drops the failures itself (ADR 0123)",
                        "            try {",
                        "                work();",
                        "            } catch (RuntimeException e) {",
                        "            }",
                        "        });",
                        "        executor.submit(new Scoped(() -> work())); // expect: WEFT301",
                        "    }",
                        "    void work() { }",
                        "    void done() { }",
                        "    Object load() throws Exception { return null; }",
                        "    void report(Exception e) { System.err.println(e); }",
                        "}")
                .test();
    }

    @Test
    void aTaskWhoseWholeBodyIsInAnEmptyCatchAllDropsItsFailuresItself() {
        CheckTester.of(Rule.WEFT301)
                .add("src/test/java/p/E.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class E {",
                        "    void f(ExecutorService pool, CyclicBarrier barrier) {",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                barrier.await();",
                        "                work();",
                        "            } catch (Exception e) {",
                        "                // ignore",
                        "            }",
                        "        });",
                        "        pool.submit(() -> client(1, barrier));",
                        "        pool.submit(() -> { // expect: WEFT301",
                        "            try {",
                        "                barrier.await();",
                        "            } catch (InterruptedException e) {",
                        "            } catch (BrokenBarrierException e) {",
                        "            }",
                        "            work();",
                        "        });",
                        "        pool.submit(() -> { // expect: WEFT301",
                        "            try {",
                        "                work();",
                        "            } catch (IllegalStateException e) {",
                        "            }",
                        "        });",
                        "        pool.submit(() -> partly(barrier)); // expect: WEFT301",
                        "        pool.submit(new Callable<Object>() { // expect: WEFT301",
                        "            public Object call() throws Exception {",
                        "                check(barrier.getNumberWaiting() == 0);",
                        "                try {",
                        "                    barrier.await();",
                        "                } catch (Exception e) {",
                        "                }",
                        "                return null;",
                        "            }",
                        "        });",
                        "        pool.submit(() -> { // expect: WEFT301",
                        "            try {",
                        "                barrier.await();",
                        "                fail();",
                        "            } catch (Exception e) {",
                        "                // correct",
                        "            }",
                        "        });",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                barrier.await();",
                        "                fail();",
                        "            } catch (Throwable t) {",
                        "            }",
                        "        });",
                        "    }",
                        "    static void check(boolean ok) { if (!ok) throw new AssertionError(); }",
                        "    static void fail() { throw new AssertionError(); }",
                        "    private static void client(int id, CyclicBarrier barrier) {",
                        "        try (java.io.StringReader r = new java.io.StringReader(\"x\")) {",
                        "            barrier.await();",
                        "        } catch (final Exception ignore) {",
                        "        }",
                        "    }",
                        "    private static void partly(CyclicBarrier barrier) {",
                        "        try {",
                        "            barrier.await();",
                        "        } catch (final Exception ignore) {",
                        "        }",
                        "        work();",
                        "    }",
                        "    static void work() { }",
                        "}")
                .test();
    }

    /**
     * Round 9 (ADR 0124): Commons IO's {@code executorService.submit(tailer)}, where {@code tailer} is a
     * {@code new Tailer(this)} of a class of the same file whose {@code run()} holds all its work in a
     * {@code try} that hands every {@code Exception} to a listener: the failures are reported, not lost
     * with the Future. The same for {@code submit(this)} and {@code submit(new Tailer(..))}; a class of
     * the file whose {@code run()} lets failures out, or one the file declares twice, is still reported.
     */
    @Test
    void aTaskOfAClassOfThisFileWhoseRunReportsItsFailures() {
        CheckTester.of(Rule.WEFT301)
                .add("src/main/java/p/Tailer.java",
                        "package p;",
                        "import java.util.concurrent.ExecutorService;",
                        "public class Tailer implements Runnable {",
                        "    interface Listener { void handle(Exception e); }",
                        "    private final Listener listener;",
                        "    private volatile boolean run = true;",
                        "    Tailer(Listener listener) { this.listener = listener; }",
                        "    static Tailer start(ExecutorService pool, Listener listener) {",
                        "        final Tailer tailer = new Tailer(listener);",
                        "        pool.submit(tailer);",
                        "        pool.submit(new Tailer(listener));",
                        "        pool.submit(new Plain());  // expect: WEFT301",
                        "        Plain plain = new Plain();",
                        "        pool.submit(plain); // expect: WEFT301",
                        "        return tailer;",
                        "    }",
                        "    void again(ExecutorService pool) {",
                        "        pool.submit(this);",
                        "    }",
                        "    @Override",
                        "    public void run() {",
                        "        java.io.Reader reader = null;",
                        "        try {",
                        "            while (run) {",
                        "                Thread.sleep(10);",
                        "            }",
                        "        } catch (InterruptedException e) {",
                        "            Thread.currentThread().interrupt();",
                        "            listener.handle(e);",
                        "        } catch (Exception e) {",
                        "            listener.handle(e);",
                        "        }",
                        "    }",
                        "    static final class Plain implements Runnable {",
                        "        @Override",
                        "        public void run() {",
                        "            throw new IllegalStateException(\"lost with the Future\");",
                        "        }",
                        "        void again(ExecutorService pool) {",
                        "            pool.submit(this); // expect: WEFT301",
                        "        }",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aTaskWhoseCatchAllIsInsideASynchronizedBlockOrFollowedByLoggingReportsItsFailures() {
        // ADR 0127: Dubbo's AsyncMappingTask.call() is `synchronized (listeners) { Set<String> s = ...;
        // try { ... } catch (Exception e) { logger.error(..., e); } return s; }`; RocketMQ's
        // registerBrokerWhenRoleChange submits `() -> { try { ... } catch (Throwable e) { LOGGER.error(..); return; }
        // LOGGER.info(..); }`: the failures are reported, not lost with the Future
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(
                "package p;",
                "import java.util.Set;",
                "import java.util.concurrent.Callable;",
                "import java.util.concurrent.ExecutorService;",
                "class Mapping {",
                "    static final System.Logger LOGGER = System.getLogger(\"mapping\");",
                "    private final Object listeners = new Object();",
                "    Set<String> fetch() throws Exception { return Set.of(); }",
                "    void listen(ExecutorService pool) {",
                "        pool.submit(new MappingTask());",
                "        pool.submit(new Unguarded()); // expect: WEFT301",
                "        pool.submit(new ComputesAfter()); // expect: WEFT301",
                "    }",
                "    void register(ExecutorService pool) {",
                "        pool.submit(() -> {"));
        lines.addAll(FETCH_OR_LOG_AND_RETURN);
        lines.addAll(java.util.List.of(
                "            LOGGER.log(System.Logger.Level.INFO, \"registered\");",
                "        });",
                "        pool.submit(() -> { // expect: WEFT301"));
        lines.addAll(FETCH_OR_LOG_AND_RETURN);
        lines.addAll(java.util.List.of(
                "            fetch().iterator().next();",
                "        });",
                "    }",
                "    private class MappingTask implements Callable<Set<String>> {",
                "        @Override",
                "        public Set<String> call() {"));
        lines.addAll(GUARDED_FETCH);
        lines.addAll(java.util.List.of(
                "                return mapped;",
                "            }",
                "        }",
                "    }",
                "    private class Unguarded implements Callable<Set<String>> {",
                "        @Override",
                "        public Set<String> call() throws Exception {",
                "            synchronized (listeners) {",
                "                return fetch();",
                "            }",
                "        }",
                "    }",
                "    private class ComputesAfter implements Callable<Integer> {",
                "        @Override",
                "        public Integer call() {"));
        lines.addAll(GUARDED_FETCH);
        lines.addAll(java.util.List.of(
                "                return mapped.iterator().next().length();",
                "            }",
                "        }",
                "    }",
                "}"));
        CheckTester.of(Rule.WEFT301).add("src/main/java/p/Mapping.java", lines.toArray(String[]::new)).test();
    }

    /** A lambda body's start: {@code fetch()} in a try whose catch of Throwable logs and returns. */
    private static final java.util.List<String> FETCH_OR_LOG_AND_RETURN = java.util.List.of(
            "            try {",
            "                fetch();",
            "            } catch (Throwable e) {",
            "                LOGGER.log(System.Logger.Level.ERROR, \"register failed\", e);",
            "                return;",
            "            }");

    /** A call()'s start: under the listeners' monitor, {@code mapped = fetch()} in a try whose catch of Exception logs. */
    private static final java.util.List<String> GUARDED_FETCH = java.util.List.of(
            "            synchronized (listeners) {",
            "                Set<String> mapped = Set.of();",
            "                try {",
            "                    mapped = fetch();",
            "                } catch (Exception e) {",
            "                    LOGGER.log(System.Logger.Level.ERROR, \"mapping failed\", e);",
            "                }");
}
