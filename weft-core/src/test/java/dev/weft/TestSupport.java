package dev.weft;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers for tests: poll observable state instead of sleeping; run a body on a chosen kind of thread. */
final class TestSupport {
    private TestSupport() {
    }

    /** Waits until {@code condition} holds (polling observable state); fails after a generous limit. */
    static void await(String what, BooleanSupplier condition) {
        long limit = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - limit > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** The kinds of thread a caller of Weft can be. */
    enum Carrier { VIRTUAL, PLATFORM }

    /** Starts {@code body} on a fresh thread of the given kind (the caller joins it or observes what it records). */
    static Thread start(Carrier carrier, Runnable body) {
        return carrier == Carrier.VIRTUAL ? Thread.ofVirtual().start(body) : Thread.ofPlatform().start(body);
    }

    /** Runs {@code body} on a fresh thread of the given kind and returns its value or rethrows its exception. */
    static <T> T on(Carrier carrier, Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Runnable r = () -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                error.set(t);
            }
        };
        Thread t = carrier == Carrier.VIRTUAL ? Thread.ofVirtual().start(r) : Thread.ofPlatform().start(r);
        t.join();
        Throwable e = error.get();
        if (e instanceof Exception ex) {
            throw ex;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return result.get();
    }
}
