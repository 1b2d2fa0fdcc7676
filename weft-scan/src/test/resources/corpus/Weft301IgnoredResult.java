package corpus;

import dev.weft.TaskGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

class Weft301IgnoredResult {
    void flagged(ExecutorService pool, Runnable task) {
        pool.submit(task); // expect: WEFT301
        CompletableFuture.supplyAsync(() -> "x", pool); // expect: WEFT301
        CompletableFuture.runAsync(task); // expect: WEFT301 WEFT302
        Thread.startVirtualThread(task); // expect: WEFT301
        Thread.ofVirtual().name("w").start(task); // expect: WEFT301
        try (var supervisor = TaskGroup.supervisor()) {
            supervisor.spawn(() -> "x"); // expect: WEFT301
        }
        TaskGroup.supervise(g -> {
            g.spawn(() -> "y"); // expect: WEFT301
            return null;
        });
    }

    // ---- look-alikes ----
    Future<?> notFlagged(ExecutorService pool, Runnable task) {
        Future<?> f = pool.submit(task);
        pool.execute(task);
        CompletableFuture<String> cf = CompletableFuture.supplyAsync(() -> "x", pool);
        cf.thenApply(String::length);
        Thread t = Thread.startVirtualThread(task);
        FutureTask<String> kept = new FutureTask<>(() -> "kept");
        pool.submit(kept);
        Thread.startVirtualThread(() -> { });
        try (var group = TaskGroup.open()) {
            group.spawn(() -> "owned by the group");
        }
        TaskGroup.run(g -> {
            g.spawn(() -> "owned too");
            return null;
        });
        new Thread(task).start();
        return pool.submit(task);
    }
}
