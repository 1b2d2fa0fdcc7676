package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

class Weft108Untimed {
    private final Object monitor = new Object();

    void flagged(Future<String> f, CountDownLatch latch, BlockingQueue<String> q, Thread t,
                 CompletableFuture<String> cf) throws Exception {
        String a = f.get(); // expect: WEFT108
        latch.await(); // expect: WEFT108
        String b = q.take(); // expect: WEFT108
        t.join(); // expect: WEFT108
        String c = cf.join(); // expect: WEFT108
        synchronized (monitor) {
            monitor.wait(); // expect: WEFT108
        }
    }

    // ---- look-alikes ----
    void notFlagged(Future<String> f, CountDownLatch latch, BlockingQueue<String> q, Thread t,
                    CompletableFuture<String> cf) throws Exception {
        String a = f.get(5, SECONDS);
        boolean done = latch.await(5, SECONDS);
        String b = q.poll(1, SECONDS);
        String c = q.poll();
        t.join(Duration.ofSeconds(1));
        String d = cf.getNow(null);
        synchronized (monitor) {
            monitor.wait(1000);
        }
    }
}
