package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

class Weft304Polling {
    private volatile boolean running = true;

    void flagged(AtomicBoolean done) throws InterruptedException {
        while (!done.get()) { // expect: WEFT304
            Thread.sleep(50);
        }
        while (true) { // expect: WEFT304
            if (done.get()) {
                break;
            }
            Thread.sleep(10);
        }
        do { // expect: WEFT304
            TimeUnit.MILLISECONDS.sleep(5);
        } while (!done.get());
        for (;;) { // expect: WEFT304
            if (done.get()) return;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    // ---- look-alikes ----
    void notFlagged(BlockingQueue<String> q) throws InterruptedException {
        while (running) {
            String item = q.poll(1, SECONDS);
            handle(item);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            handle("try");
            Thread.sleep(100L << attempt);
        }
        while (true) {
            Thread.sleep(1000);
        }
    }

    void handle(String s) {
    }
}
