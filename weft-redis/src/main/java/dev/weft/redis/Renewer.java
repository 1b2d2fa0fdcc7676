package dev.weft.redis;

import dev.weft.Weft;
import java.time.Duration;

/**
 * The background virtual thread of a {@link RedisWorkQueue} or {@link RedisLimiter} that renews
 * what the instance holds every {@code every}, until {@link #close()}: a failed renewal is logged
 * and tried again next time; closing interrupts the thread and waits for it.
 */
final class Renewer implements AutoCloseable {
    /** One renewal. */
    @FunctionalInterface
    interface Renewal {
        void run() throws InterruptedException;
    }

    private final Thread thread;
    private volatile boolean closed;

    Renewer(String threadName, Duration every, System.Logger log, String failure, Renewal renewal) {
        long millis = Math.max(1, every.toMillis());
        this.thread = Thread.ofVirtual().name(threadName).unstarted(() -> {
            while (!closed) {
                try {
                    Thread.sleep(millis);
                    renewal.run();
                } catch (InterruptedException e) {
                    return; // closed
                } catch (RuntimeException e) {
                    log.log(System.Logger.Level.WARNING, failure + e.getMessage());
                }
            }
        });
    }

    void start() {
        thread.start();
    }

    boolean isClosed() {
        return closed;
    }

    /** Stops renewing and waits for the thread to end. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Weft.restoreInterrupt();
        }
    }
}
