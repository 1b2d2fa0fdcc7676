package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft303InterruptSwallowed}. */
class Weft303InterruptSwallowedTest {
    @Test
    void flagsADroppedInterrupt() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "class A {",
                        "    int f() {",
                        "        try {",
                        "            Thread.sleep(1);",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.err.println(\"interrupted\");",
                        "        }",
                        "        return 1;",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void acceptsLegitimateHandling() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/B.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class B {",
                        "    static RuntimeException sneaky(Throwable t) { return new RuntimeException(t); }",
                        "    void rethrow() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { throwAsUnchecked(e); }",
                        "    }",
                        "    static void throwAsUnchecked(Throwable t) { }",
                        "    void failsAFuture(CompletableFuture<String> f) {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { f.completeExceptionally(e); }",
                        "    }",
                        "    void cannotHappen() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException cannotHappen) { }",
                        "    }",
                        "    Exception returnsIt() {",
                        "        try { Thread.sleep(1); return null; } catch (InterruptedException e) { return e; }",
                        "    }",
                        "    void endsTheThread() {",
                        "        new Thread(() -> {",
                        "            try { Thread.sleep(1); } catch (InterruptedException e) { System.err.println(\"stopping\"); }",
                        "        }).start();",
                        "    }",
                        "    static final class Worker extends Thread {",
                        "        @Override",
                        "        public void run() {",
                        "            try { Thread.sleep(1); } catch (InterruptedException e) { System.err.println(\"stopping\"); }",
                        "        }",
                        "    }",
                        "}")
                .add("src/test/java/p/BTest.java",
                        "package p;",
                        "class BTest {",
                        "    void interruptIsExpected() {",
                        "        Thread.currentThread().interrupt();",
                        "        try { Thread.sleep(1); } catch (InterruptedException expected) { }",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aTaskWhoseTryIsFollowedOnlyByItsReturnEndsWithTheInterrupt() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/R.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class R {",
                        "    void f(ExecutorService pool, CountDownLatch latch) {",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                latch.await();",
                        "            } catch (InterruptedException e) {",
                        "                System.out.println(\"stopped\");",
                        "            }",
                        "            return null;",
                        "        });",
                        "        pool.submit(() -> {",
                        "            try {",
                        "                latch.await();",
                        "            } catch (InterruptedException e) { // expect: WEFT303",
                        "                System.out.println(\"stopped\");",
                        "            }",
                        "            latch.countDown();",
                        "            return null;",
                        "        });",
                        "    }",
                        "    String helper(CountDownLatch latch) {",
                        "        try {",
                        "            latch.await();",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.out.println(\"stopped\");",
                        "        }",
                        "        return \"carry on\";",
                        "    }",
                        "}")
                .test();
    }

    /** Names are not enough: interrupting another thread or setting an unrelated flag loses this thread's interrupt. */
    @Test
    void onlyThisThreadsInterruptATestFailureOrAnInterruptFlagCountAsHandled() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/L.java",
                        "package p;",
                        "class L {",
                        "    boolean done;",
                        "    boolean interrupted;",
                        "    void wakesAnother(Thread worker) {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { worker.interrupt(); } // expect: WEFT303",
                        "    }",
                        "    void restoresItsOwn() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }",
                        "    }",
                        "    void failsTheTest() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { fail(\"interrupted\"); }",
                        "    }",
                        "    static void fail(String why) { throw new AssertionError(why); }",
                        "    void setsAnUnrelatedFlag() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { done = true; } // expect: WEFT303",
                        "    }",
                        "    void setsAnInterruptFlag() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { this.interrupted = true; }",
                        "    }",
                        "    void setsNothing() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { done = false; } // expect: WEFT303",
                        "    }",
                        "}")
                .add("src/main/java/p/T.java",
                        "package p;",
                        "class T extends Thread {",
                        "    void pause() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { interrupt(); }",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aHelperOrAConstructorOfThisFileThatRestoresTheFlagOrKeepsTheExceptionCountsAsHandled() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/K.java",
                        "package p;",
                        "import java.util.concurrent.atomic.AtomicReference;",
                        "class K {",
                        "    static final class InterruptException extends RuntimeException {",
                        "        InterruptException(String message) {",
                        "            super(message);",
                        "            Thread.currentThread().interrupt();",
                        "        }",
                        "        InterruptException(String message, int code) { super(message); }",
                        "    }",
                        "    final AtomicReference<Throwable> first = new AtomicReference<>();",
                        "    Throwable cause;",
                        "    void restoreInterrupt() { Thread.currentThread().interrupt(); }",
                        "    void tidy() { }",
                        "    void storesAWrapped() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { first.compareAndSet(null, new RuntimeException(e)); }",
                        "    }",
                        "    void keepsIt() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { cause = e; }",
                        "        if (cause != null) throw new IllegalStateException(cause);",
                        "    }",
                        "    void helperRestores() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { restoreInterrupt(); }",
                        "    }",
                        "    void constructorRestores() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { first.set(new InterruptException(\"x\")); }",
                        "    }",
                        "    void otherConstructorDoesNot() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { first.set(new InterruptException(\"x\", 1)); } // expect: WEFT303",
                        "    }",
                        "    void helperDoesNot() {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { tidy(); } // expect: WEFT303",
                        "    }",
                        "    void onlyLogsAWrapped(System.Logger log) {",
                        "        try { Thread.sleep(1); } catch (InterruptedException e) { log.log(System.Logger.Level.WARNING, \"x\", new RuntimeException(e)); } // expect: WEFT303",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void theInterruptAsALoopsStopSignalIsNotFlagged() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/G.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class G {",
                        "    private volatile boolean alive = true;",
                        "    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();",
                        "    private final Thread listener = new Thread(new Listener());",
                        "    void close() {",
                        "        alive = false;",
                        "        listener.interrupt();",
                        "    }",
                        "    private class Listener implements Runnable {",
                        "        @Override",
                        "        public void run() {",
                        "            while (alive) {",
                        "                try {",
                        "                    queue.take();",
                        "                } catch (InterruptedException e) {",
                        "                    System.err.println(\"woken\");",
                        "                }",
                        "            }",
                        "        }",
                        "    }",
                        "}")
                .add("src/main/java/p/H.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class H {",
                        "    private volatile boolean alive = true;",
                        "    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();",
                        "    void close() {",
                        "        alive = false;",
                        "    }",
                        "    void loop() {",
                        "        while (alive) {",
                        "            try {",
                        "                queue.take();",
                        "            } catch (InterruptedException e) { // expect: WEFT303",
                        "                System.err.println(\"nobody stops this loop by interrupting it\");",
                        "            }",
                        "        }",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aTryThatCannotWaitIsNotFlagged() {
        CheckTester.of(Rule.WEFT303)
                .add("src/test/java/p/UTest.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class UTest {",
                        "    void neverStarted(ThreadFactory factory) {",
                        "        Thread t = factory.newThread(() -> { });",
                        "        try { t.join(); } catch (InterruptedException e) { }",
                        "    }",
                        "    void started(ThreadFactory factory) {",
                        "        Thread t = factory.newThread(() -> { });",
                        "        t.start();",
                        "        try { t.join(); } catch (InterruptedException e) { } // expect: WEFT303",
                        "    }",
                        "    interface KFuture<T> { T getNow(T absent) throws InterruptedException, ExecutionException; }",
                        "    Object getNow(KFuture<Object> f) throws ExecutionException {",
                        "        try {",
                        "            f.getNow(null);",
                        "            return null;",
                        "        } catch (InterruptedException e) {",
                        "            return null;",
                        "        }",
                        "    }",
                        "    Object blocks(Future<Object> f) throws ExecutionException {",
                        "        try {",
                        "            f.isDone();",
                        "            return f.get();",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            return null;",
                        "        }",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void mainAndTasksEndingAfterOnlyPrintingEndWithTheInterrupt() {
        CheckTester.of(Rule.WEFT303)
                .add("src/main/java/p/Main.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class Main {",
                        "    public static void main(String[] args) {",
                        "        CountDownLatch done = new CountDownLatch(1);",
                        "        Runtime.getRuntime().addShutdownHook(new Thread(() -> {",
                        "            try {",
                        "                done.await();",
                        "            } catch (InterruptedException e) {",
                        "                System.err.println(\"interrupted\");",
                        "            }",
                        "            System.out.flush();",
                        "            System.err.flush();",
                        "        }));",
                        "        try {",
                        "            done.await();",
                        "        } catch (InterruptedException e) {",
                        "            System.err.println(\"interrupted\");",
                        "        }",
                        "        System.out.println(\"bye\");",
                        "    }",
                        "    void helper(CountDownLatch done) {",
                        "        try {",
                        "            done.await();",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.err.println(\"interrupted\");",
                        "        }",
                        "        System.out.println(\"the caller carries on\");",
                        "    }",
                        "}")
                .test();
    }

    /** The work ends one call level up: a method called, across its module, only as the last thing main does. */
    @Test
    void aMethodWhoseEveryCallEndsAProcessEndsWithTheInterrupt() {
        CheckTester.of(Rule.WEFT303)
                .add("app/src/main/java/p/Client.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class Client {",
                        "    final CountDownLatch started = new CountDownLatch(1);",
                        "    void start(String name) {",
                        "        try {",
                        "            started.await();",
                        "        } catch (InterruptedException e) {",
                        "            System.out.println(name + \": interrupted\");",
                        "        }",
                        "        System.out.println(name + \": started\");",
                        "    }",
                        "    void awaitStop() {",
                        "        try {",
                        "            started.await();",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.out.println(\"interrupted\");",
                        "        }",
                        "    }",
                        "}")
                .add("app/src/main/java/p/Main.java",
                        "package p;",
                        "class Main {",
                        "    public static void main(String[] args) {",
                        "        switch (args[0]) {",
                        "            case \"process\":",
                        "                new Client().start(\"client\");",
                        "                break;",
                        "            default:",
                        "                System.out.println(\"unknown command\");",
                        "        }",
                        "    }",
                        "}")
                .add("app/src/test/java/p/ClientTest.java",
                        "package p;",
                        "class ClientTest {",
                        "    void stopsLater() {",
                        "        Client c = new Client();",
                        "        c.awaitStop();",
                        "        c.started.countDown();",
                        "    }",
                        "}")
                .add("other/src/main/java/p/Client.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class Client {",
                        "    final CountDownLatch started = new CountDownLatch(1);",
                        "    void start(String name) {",
                        "        try {",
                        "            started.await();",
                        "        } catch (InterruptedException e) { // expect: WEFT303",
                        "            System.out.println(name + \": interrupted\");",
                        "        }",
                        "    }",
                        "}")
                .add("other/src/main/java/p/Loop.java",
                        "package p;",
                        "class Loop {",
                        "    public static void main(String[] args) {",
                        "        for (String a : args) {",
                        "            new Client().start(a);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
