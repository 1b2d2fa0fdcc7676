package corpus;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;

class Weft303Interrupt {
    static final int INTERRUPTED = -1;

    void flagged(BlockingQueue<String> q) {
        try {
            q.put("x"); // expect: WEFT108
        } catch (InterruptedException e) { // expect: WEFT303
            System.err.println("interrupted");
        }
        try {
            Thread.sleep(10);
        } catch (InterruptedException ignored) { // expect: WEFT303
        }
        try {
            Thread.sleep(10);
            throw new IOException("x");
        } catch (IOException | InterruptedException e) { // expect: WEFT303
            e.printStackTrace();
        }
    }

    String helper(BlockingQueue<String> q) {
        try {
            return q.poll(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) { // expect: WEFT303
            return null; // the caller carries on as if nothing happened
        }
    }

    // ---- look-alikes ----
    Runnable task(BlockingQueue<String> q) {
        return () -> {
            try {
                q.take(); // expect: WEFT108
            } catch (InterruptedException e) {
                return; // the task ends because it was cancelled
            }
        };
    }

    void notFlagged(BlockingQueue<String> q) throws IOException {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            throw new CancellationException("cancelled");
        }
        boolean interrupted = false;
        while (true) {
            try {
                q.put("y"); // expect: WEFT108
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        int state = 0;
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            state = INTERRUPTED;
        }
        try {
            throw new IOException("x");
        } catch (IOException e) {
            System.err.println("ignored");
        }
    }
}
