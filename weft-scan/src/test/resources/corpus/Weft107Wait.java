package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jetbrains.annotations.NonBlocking;

class Weft107Wait {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();

    void flagged(CompletableFuture<String> cf, Future<String> other, CountDownLatch latch, List<Thread> ts) {
        cf.thenApply(s -> {
            try {
                return other.get(); // expect: WEFT107 WEFT108
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        cf.thenRun(() -> {
            try {
                latch.await(1, SECONDS); // expect: WEFT107
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cf.thenCombine(cf, (a, b) -> CompletableFuture.completedFuture(a).join()); // built completed: cannot block
        ts.parallelStream().forEach(t -> {
            try {
                t.join(); // expect: WEFT107 WEFT108
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @NonBlocking
    void guarded() throws InterruptedException {
        lock.lock();
        try {
            ready.await(); // expect: WEFT107 WEFT108
        } finally {
            lock.unlock();
        }
    }

    @NonBlocking
    void shortCriticalSection() {
        lock.lock();
        try {
            System.out.println("x");
        } finally {
            lock.unlock();
        }
    }

    // ---- look-alikes ----
    void notFlagged(CompletableFuture<String> cf, Map<String, String> map, Optional<String> opt,
                    Future<String> other) throws Exception {
        cf.thenApply(s -> map.get(s));
        cf.thenApply(s -> opt.get());
        cf.thenApply(s -> cf.getNow("x"));
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> f = ex.submit(() -> other.get(1, SECONDS));
        }
        String v = other.get(2, SECONDS);
    }
}

class Weft107Handler extends SimpleChannelInboundHandler<String> {
    private final BlockingQueue<String> queue = new java.util.concurrent.LinkedBlockingQueue<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, String msg) throws Exception {
        String next = queue.take(); // expect: WEFT107 WEFT108
        boolean ok = queue.offer(msg);
    }
}
