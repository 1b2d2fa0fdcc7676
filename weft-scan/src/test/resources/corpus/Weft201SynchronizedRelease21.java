// corpus: --release 21
package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

class Weft201SynchronizedRelease21 {
    private final Object lock = new Object();
    private final ReentrantLock rlock = new ReentrantLock();
    private final List<String> items = new ArrayList<>();

    String flagged(Future<String> f) throws Exception {
        synchronized (lock) {
            return f.get(1, SECONDS); // expect: WEFT201
        }
    }

    synchronized void nap() throws InterruptedException {
        Thread.sleep(10); // expect: WEFT201 WEFT202
    }

    // ---- look-alikes ----
    String notFlagged(Future<String> f) throws Exception {
        if (rlock.tryLock(1, SECONDS)) {
            try {
                return f.get(1, SECONDS);
            } finally {
                rlock.unlock();
            }
        }
        synchronized (lock) {
            items.add("x");
        }
        return null;
    }
}
