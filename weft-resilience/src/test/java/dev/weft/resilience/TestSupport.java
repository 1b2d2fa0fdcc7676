package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers: poll observable state instead of sleeping. */
final class TestSupport {
    private TestSupport() {
    }

    /** Waits until {@code condition} holds (polling); fails after a generous limit. */
    static void await(String what, BooleanSupplier condition) {
        long limit = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - limit > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** A failure for tests. */
    static final class Boom extends RuntimeException {
        Boom(String message) {
            super(message);
        }
    }
}
