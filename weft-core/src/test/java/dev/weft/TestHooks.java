package dev.weft;

import dev.weft.internal.VirtualClock;

/** Public doors for tests in other packages to the package-private test helpers. */
public final class TestHooks {
    private TestHooks() {
    }

    /** Waits (polling) until {@code clock} counts exactly {@code running} running threads. */
    public static void awaitIdle(VirtualClock clock, int running) {
        TestSupport.await("virtual clock with " + running + " running", () -> clock.runningTasks() == running);
    }
}
