package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import dev.weft.scan.ScanOptions;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft107WaitInNonBlocking}. */
class Weft107WaitInNonBlockingTest {
    @Test
    void flagsWaitsInCallbacksAndHandlerCallbacks() {
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "class A {",
                        "    void f(CompletableFuture<String> cf, CompletableFuture<String> other, CountDownLatch latch) {",
                        "        cf.thenApply(s -> other.join()); // expect: WEFT107",
                        "        cf.thenRun(() -> { try { latch.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }); // expect: WEFT107",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void doesNotFlagFuturesThatAreAlreadyComplete() {
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/B.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "import java.util.List;",
                        "class B {",
                        "    void f(CompletableFuture<String> cf, CompletableFuture<String> other, List<CompletableFuture<String>> fs) {",
                        "        cf.thenApply(s -> CompletableFuture.completedFuture(s).join());",
                        "        CompletableFuture<String> done = CompletableFuture.completedFuture(\"x\");",
                        "        cf.thenApply(s -> done.join());",
                        "        cf.thenApply(s -> other.isDone() ? other.join() : s);",
                        "        cf.thenApply(s -> { if (other.isDone()) { return other.join(); } return s; });",
                        "        CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).thenApply(v -> fs.stream().map(CompletableFuture::join).toList());",
                        "        cf.thenRun(() -> {",
                        "            CompletableFuture.allOf(other).join(); // expect: WEFT107",
                        "            other.join();",
                        "        });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aGuardThatLeavesWhenTheFutureIsNotDoneMakesTheReadSafe() {
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/G.java",
                        "package p;",
                        "import java.util.List;",
                        "import java.util.concurrent.*;",
                        "class G {",
                        "    void f(CompletableFuture<String> cf, List<CompletableFuture<String>> fs, CompletableFuture<String> other) {",
                        "        cf.thenRun(() -> {",
                        "            for (CompletableFuture<String> x : fs) {",
                        "                if (!x.isDone() || !x.isCompletedExceptionally()) {",
                        "                    continue;",
                        "                }",
                        "                x.join();",
                        "            }",
                        "            for (CompletableFuture<String> y : fs) {",
                        "                if (y.isDone()) {",
                        "                    continue;",
                        "                }",
                        "                y.join(); // expect: WEFT107",
                        "            }",
                        "            for (CompletableFuture<String> z : fs) {",
                        "                if (!z.isDone()) {",
                        "                    System.out.println(\"not yet\");",
                        "                }",
                        "                z.join(); // expect: WEFT107",
                        "            }",
                        "            if (!other.isDone()) {",
                        "                other.join(); // expect: WEFT107",
                        "            } else {",
                        "                other.join();",
                        "            }",
                        "            String s = !other.isDone() ? \"none\" : other.join();",
                        "            if (!other.isDone()) throw new IllegalStateException(\"not done\");",
                        "            other.join();",
                        "        });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aReferenceToAnOverloadedMethodPassedToAnUnresolvedCallIsNotGuessed() {
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/S.java",
                        "package p;",
                        "import java.util.List;",
                        "import java.util.concurrent.*;",
                        "import reactor.core.publisher.Mono;",
                        "class S {",
                        "    Mono<Conn> connect;",
                        "    CompletableFuture<List<String>> future;",
                        "    public List<String> getNodes() throws Exception {",
                        "        return future.get(1, TimeUnit.SECONDS);",
                        "    }",
                        "    Mono<List<String>> getNodes(Conn c) {",
                        "        return Mono.just(List.of());",
                        "    }",
                        "    CompletableFuture<List<String>> nodesAsync() {",
                        "        return connect.flatMap(this::getNodes).toFuture();",
                        "    }",
                        "    List<String> single(Conn c) throws Exception {",
                        "        return future.get(1, TimeUnit.SECONDS); // expect: WEFT107",
                        "    }",
                        "    void g() {",
                        "        connect.map(this::single).subscribe();",
                        "    }",
                        "    static class Conn { }",
                        "}")
                .test();
    }

    @Test
    void aClassThatAlsoImplementsAHandlerBlocksOnlyInItsCallback() {
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/C.java",
                        "package p;",
                        "import java.util.Iterator;",
                        "import java.util.concurrent.CountDownLatch;",
                        "import io.vertx.core.Handler;",
                        "class C implements Iterator<String>, Handler<String> {",
                        "    private final CountDownLatch latch = new CountDownLatch(1);",
                        "    public boolean hasNext() {",
                        "        try { latch.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }",
                        "        return true;",
                        "    }",
                        "    public String next() { return \"x\"; }",
                        "    public void handle(String s) {",
                        "        try { latch.await(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } // expect: WEFT107",
                        "    }",
                        "}")
                .add("src/main/java/p/D.java",
                        "package p;",
                        "import java.util.concurrent.CountDownLatch;",
                        "import io.vertx.core.AbstractVerticle;",
                        "import io.vertx.core.DeploymentOptions;",
                        "import io.vertx.core.ThreadingModel;",
                        "class D extends AbstractVerticle {",
                        "    static final DeploymentOptions WORKER = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);",
                        "    private final CountDownLatch latch = new CountDownLatch(1);",
                        "    public void start() throws Exception {",
                        "        latch.await();",
                        "    }",
                        "}")
                .add("src/main/java/p/E.java",
                        "package p;",
                        "import java.util.concurrent.CountDownLatch;",
                        "import io.vertx.core.AbstractVerticle;",
                        "class E extends AbstractVerticle {",
                        "    private final CountDownLatch latch = new CountDownLatch(1);",
                        "    public void start() throws Exception {",
                        "        latch.await(); // expect: WEFT107",
                        "        vertx.executeBlocking(() -> { latch.await(); return null; });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void readinessHelpersAnonymousAllOfCallbacksAndUnboundedQueuesDoNotWait() {
        // ADR 0122: Caffeine's Async.isReady(future) and EventDispatcher's allOf(...).thenApply(new Function...)
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/R.java",
                        "package p;",
                        "import java.util.List;",
                        "import java.util.concurrent.*;",
                        "import java.util.function.Function;",
                        "class R {",
                        "    static boolean isReady(CompletableFuture<?> f) { return f != null && f.isDone() && !f.isCompletedExceptionally(); }",
                        "    static boolean isStale(CompletableFuture<?> f) { return f == null; }",
                        "    final BlockingQueue<String> unbounded = new LinkedBlockingQueue<>();",
                        "    final BlockingQueue<String> bounded = new LinkedBlockingQueue<>(16);",
                        "    BlockingQueue<String> swapped = new LinkedBlockingQueue<>();",
                        "    void swap() { swapped = new ArrayBlockingQueue<>(1); }",
                        "    void f(CompletableFuture<String> cf, CompletableFuture<String> other, List<CompletableFuture<String>> fs) {",
                        "        cf.thenApply(s -> { if (isReady(other)) { return other.join(); } return s; });",
                        "        cf.thenApply(s -> { if (isStale(other)) { return other.join(); } return s; }); // expect: WEFT107",
                        "        CompletableFuture.allOf(fs.toArray(new CompletableFuture[0])).thenApply(new Function<Void, List<String>>() {",
                        "            @Override",
                        "            public List<String> apply(Void v) {",
                        "                return fs.stream().map(CompletableFuture::join).toList();",
                        "            }",
                        "        });",
                        "        cf.thenApply(new Function<String, String>() {",
                        "            @Override",
                        "            public String apply(String s) {",
                        "                return other.join(); // expect: WEFT107",
                        "            }",
                        "        });",
                        "        cf.thenAccept(s -> { try { unbounded.put(s); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } });",
                        "        cf.thenAccept(s -> { try { bounded.put(s); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }); // expect: WEFT107",
                        "        cf.thenAccept(s -> { try { swapped.put(s); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }); // expect: WEFT107",
                        "        cf.thenAccept(s -> { try { unbounded.take(); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } }); // expect: WEFT107",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aCallIsNotFollowedIntoAnotherOverloadOfTheSameArity() {
        // round 15, Redisson RedissonCountDownLatch:143: the callback's await(AtomicLong, String) is not the
        // synchronous await(long, TimeUnit); a single overload of its arity is still followed
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/L.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "import java.util.concurrent.atomic.AtomicLong;",
                        "class L {",
                        "    final CountDownLatch latch = new CountDownLatch(1);",
                        "    final CompletableFuture<String> cf = new CompletableFuture<>();",
                        "    public boolean await(long time, TimeUnit unit) throws InterruptedException {",
                        "        return latch.await(time, unit);",
                        "    }",
                        "    private CompletableFuture<Boolean> await(AtomicLong time, String entry) {",
                        "        return cf.thenCompose(s -> await(time, s));",
                        "    }",
                        "    boolean drain(long time) throws InterruptedException {",
                        "        return latch.await(time, TimeUnit.MILLISECONDS); // expect: WEFT107",
                        "    }",
                        "    void g() {",
                        "        cf.thenAccept(s -> { try { drain(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void withAttributionACallIsFollowedIntoTheOverloadItResolvesTo() {
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/M.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "import java.util.concurrent.atomic.AtomicLong;",
                        "class M {",
                        "    final CountDownLatch latch = new CountDownLatch(1);",
                        "    final CompletableFuture<String> cf = new CompletableFuture<>();",
                        "    public boolean await(long time, TimeUnit unit) throws InterruptedException {",
                        "        return latch.await(time, unit); // expect: WEFT107",
                        "    }",
                        "    private CompletableFuture<Boolean> await(AtomicLong time, String entry) {",
                        "        return cf.thenApply(s -> true);",
                        "    }",
                        "    void g() {",
                        "        cf.thenAccept(s -> { try { await(1L, TimeUnit.SECONDS); } catch (InterruptedException e) { Thread.currentThread().interrupt(); } });",
                        "    }",
                        "}")
                .test(ScanOptions.Mode.ATTRIBUTE);
    }

    @Test
    void theFuturesOfAnAllOfHeldInALocalOrFilteredOnGetNowAreComplete() {
        // round 15, Redisson RedissonScript:293, CommandAsyncService:840 (r = allOf(fs); r.thenApply(.. f.join() ..))
        // and CommandAsyncService:930 (filter(e -> e.getNow(null) != null).map(e -> e.join()))
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/N.java",
                        "package p;",
                        "import java.util.List;",
                        "import java.util.concurrent.*;",
                        "import java.util.stream.Collectors;",
                        "class N {",
                        "    void f(CompletableFuture<String> cf, List<CompletableFuture<String>> fs, CompletableFuture<String> other) {",
                        "        CompletableFuture<Void> r = CompletableFuture.allOf(fs.toArray(new CompletableFuture[0]));",
                        "        r.thenApply(v -> fs.stream().map(f -> f.join()).collect(Collectors.toList()));",
                        "        r.handle((v, e) -> fs.stream().map(f -> f.join()).collect(Collectors.toList()));",
                        "        CompletableFuture<String> notAll = cf.thenApply(s -> s);",
                        "        notAll.thenApply(v -> fs.stream().map(f -> f.join()).collect(Collectors.toList())); // expect: WEFT107",
                        "        cf.thenApply(v -> fs.stream().filter(e -> !e.isCompletedExceptionally() && e.getNow(null) != null)",
                        "                .map(e -> e.join()).collect(Collectors.toList()));",
                        "        cf.thenApply(v -> fs.stream().filter(e -> e.getNow(null) == null)",
                        "                .map(e -> e.join()).collect(Collectors.toList())); // expect: WEFT107",
                        "        cf.thenApply(v -> fs.stream().filter(e -> other.getNow(null) != null)",
                        "                .map(e -> e.join()).collect(Collectors.toList())); // expect: WEFT107",
                        "        cf.thenApply(s -> other.getNow(null) != null ? other.join() : s);",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aJoinOfTheHeadOfItsOwnStageChainDoesNotWait() {
        // round 15, Redisson ReplicatedConnectionManager:211: connectionFuture.thenCompose(..).thenCompose(ip ->
        // connectionFuture.join()): a thenX stage runs only after the head completed normally
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/H.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class H {",
                        "    void f(CompletionStage<String> head, CompletableFuture<String> other) {",
                        "        head.thenCompose(c -> other).thenApply(ip -> head.toCompletableFuture().join() + ip);",
                        "        head.thenAccept(c -> head.toCompletableFuture().join());",
                        "        other.thenApply(c -> head.toCompletableFuture().join()); // expect: WEFT107",
                        "        other.thenCompose(c -> other).thenApply(ip -> head.toCompletableFuture().join()); // expect: WEFT107",
                        "        other.exceptionally(e -> null).thenApply(ip -> other.join()); // expect: WEFT107",
                        "        other.applyToEither(head, c -> other.join()); // expect: WEFT107",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void aPrivateHelperEveryCallerOfWhichPassesADoneFutureDoesNotWait() {
        // round 15, Redisson AsyncChunkProcessor:123: propagateException(cf, r) is called only under cf.isDone()
        CheckTester.of(Rule.WEFT107)
                .add("src/main/java/p/P.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "class P {",
                        "    void f(CompletableFuture<String> cf, CompletableFuture<String> other) {",
                        "        cf.thenRun(() -> {",
                        "            if (other.isDone()) {",
                        "                propagate(other);",
                        "            }",
                        "            if (!other.isDone()) {",
                        "                return;",
                        "            }",
                        "            propagate(other);",
                        "        });",
                        "        cf.thenRun(() -> {",
                        "            check(other);",
                        "            mixed(other);",
                        "        });",
                        "    }",
                        "    void g(CompletableFuture<String> other) {",
                        "        if (other.isDone()) {",
                        "            mixed(other);",
                        "        }",
                        "    }",
                        "    private void propagate(CompletableFuture<String> f) {",
                        "        f.join();",
                        "    }",
                        "    private void check(CompletableFuture<String> f) {",
                        "        f.join(); // expect: WEFT107",
                        "    }",
                        "    private void mixed(CompletableFuture<String> f) {",
                        "        f.join(); // expect: WEFT107",
                        "    }",
                        "}")
                .test();
    }
}
