package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.concurrent.Future;

// On JDK 24+ (the default --release here) synchronized no longer pins: nothing but WEFT202 fires.
class Weft201SynchronizedRelease25 {
    private final Object lock = new Object();

    String notFlagged(Future<String> f) throws Exception {
        synchronized (lock) {
            return f.get(1, SECONDS);
        }
    }

    synchronized void nap() throws InterruptedException {
        Thread.sleep(10); // expect: WEFT202
    }
}
