package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;

class Weft203PooledVirtual {
    ExecutorService flagged() {
        ExecutorService a = Executors.newFixedThreadPool(10, Thread.ofVirtual().factory()); // expect: WEFT203
        ThreadFactory vf = Thread.ofVirtual().name("worker-", 0).factory();
        return new ThreadPoolExecutor(2, 4, 1, SECONDS, new LinkedBlockingQueue<>(), vf); // expect: WEFT203
    }

    // ---- look-alikes ----
    void notFlagged() {
        ExecutorService a = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());
        ExecutorService b = Executors.newFixedThreadPool(4);
        ExecutorService c = Executors.newFixedThreadPool(4, Thread.ofPlatform().factory());
        ExecutorService d = Executors.newVirtualThreadPerTaskExecutor();
    }
}
