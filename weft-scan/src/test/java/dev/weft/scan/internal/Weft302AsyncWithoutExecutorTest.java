package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft302AsyncWithoutExecutor}. */
class Weft302AsyncWithoutExecutorTest {
    @Test
    void flagsAsyncStagesThatMayBlockWithoutAnExecutor() {
        CheckTester.of(Rule.WEFT302)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class A {",
                        "    void f(CompletableFuture<String> cf, ExecutorService ex) {",
                        "        cf.thenApplyAsync(s -> load(s)); // expect: WEFT302",
                        "        CompletableFuture.supplyAsync(this::toString); // expect: WEFT302",
                        "        cf.thenApplyAsync(s -> load(s), ex);",
                        "        CompletableFuture.supplyAsync(() -> 42);",
                        "        CompletableFuture.supplyAsync(() -> \"x\".trim().length());",
                        "    }",
                        "    String load(String s) { return s; }",
                        "}")
                .add("src/main/java/p/Delegating.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "import java.util.function.Function;",
                        "class Delegating<T> extends CompletableFuture<T> {",
                        "    private final CompletableFuture<T> inner = new CompletableFuture<>();",
                        "    @Override",
                        "    public <U> CompletableFuture<U> thenApplyAsync(Function<? super T, ? extends U> fn) {",
                        "        return inner.thenApplyAsync(fn);",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aComposeFunctionThatOnlyStartsTheNextStageIsNotFlagged() {
        CheckTester.of(Rule.WEFT302)
                .add("src/main/java/p/H.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class H {",
                        "    void f(CompletableFuture<String> cf, Future<String> other) {",
                        "        cf.thenComposeAsync(c -> dispatchHello(c));",
                        "        cf.thenComposeAsync(this::dispatchHello);",
                        "        cf.exceptionallyComposeAsync(e -> retry());",
                        "        cf.thenComposeAsync(c -> { try { return CompletableFuture.completedFuture(other.get()); } catch (Exception e) { throw new RuntimeException(e); } }); // expect: WEFT302",
                        "        cf.thenApplyAsync(c -> dispatchHello(c)); // expect: WEFT302",
                        "    }",
                        "    CompletableFuture<String> dispatchHello(String c) { return CompletableFuture.completedFuture(c); }",
                        "    CompletableFuture<String> retry() { return new CompletableFuture<>(); }",
                        "}")
                .test();
    }

    @Test
    void aFunctionWhoseBodyIsNotSeenMayBlock() {
        CheckTester.of(Rule.WEFT302)
                .add("src/main/java/p/V.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "import java.util.function.*;",
                        "class V {",
                        "    void f(CompletableFuture<String> cf, Supplier<String> task, Function<String, String> fn) {",
                        "        CompletableFuture.supplyAsync(task); // expect: WEFT302",
                        "        cf.thenApplyAsync(fn); // expect: WEFT302",
                        "        cf.thenApplyAsync(pick()); // expect: WEFT302",
                        "    }",
                        "    Function<String, String> pick() { return s -> s; }",
                        "}")
                .test();
    }

    @Test
    void aReactiveStreamsDemandSignalDoesNotBlock() {
        CheckTester.of(Rule.WEFT302)
                .add("src/test/java/p/R.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "import java.util.concurrent.Flow;",
                        "abstract class BaseSubscriber<T> implements Flow.Subscriber<T>, Flow.Subscription { }",
                        "class R {",
                        "    void f(Flow.Subscription subscription, Loader loader) {",
                        "        Flow.Subscriber<Integer> s = new BaseSubscriber<Integer>() {",
                        "            public void onSubscribe(Flow.Subscription sub) { request(1); }",
                        "            public void onNext(Integer v) {",
                        "                CompletableFuture.runAsync(() -> request(1));",
                        "                CompletableFuture.runAsync(() -> load(v)); // expect: WEFT302",
                        "            }",
                        "            public void onError(Throwable t) { }",
                        "            public void onComplete() { }",
                        "            public void request(long n) { }",
                        "            public void cancel() { }",
                        "            void load(int v) { }",
                        "        };",
                        "        CompletableFuture.runAsync(() -> subscription.cancel());",
                        "        CompletableFuture.runAsync(() -> subscription.request(Long.MAX_VALUE));",
                        "        CompletableFuture.runAsync(() -> loader.request(1)); // expect: WEFT302",
                        "        CompletableFuture.runAsync(() -> request(1)); // expect: WEFT302",
                        "    }",
                        "    void request(long n) { }",
                        "    interface Loader { void request(int n); }",
                        "}")
                .test();
    }
}
