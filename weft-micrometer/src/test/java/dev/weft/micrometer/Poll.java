package dev.weft.micrometer;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for observable state (no Awaitility here): polls, fails after a generous bound. */
final class Poll {
    private Poll() {
    }

    static void until(String what, BooleanSupplier condition) {
        long limit = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - limit > 0) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }
}
