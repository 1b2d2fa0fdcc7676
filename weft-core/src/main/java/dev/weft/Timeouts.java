package dev.weft;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Timeouts that stop the work: Trio's {@code fail_after} / {@code move_on_after}, asyncio's
 * {@code timeout()} and {@code wait_for}. Each call runs its body in a fresh {@link CancelScope};
 * see there for the full semantics (outer cancellation wins, nested deadlines, no stray
 * interrupt, cleanup errors win over the timeout).
 *
 * {@snippet :
 * String body = Timeouts.failAfter(Duration.ofSeconds(5), () -> client.get(url)); // or DeadlineExceededException
 * Optional<String> maybe = Timeouts.moveOnAfter(Duration.ofMillis(200), () -> cache.lookup(key));
 * }
 *
 * <p>Unlike {@code CompletableFuture.orTimeout} the body is interrupted, not abandoned; unlike the
 * JDK's structured scopes, the deadline is visible to everything inside as {@link Deadline#current()}
 * and can be moved with {@link CancelScope#reschedule}.
 */
public final class Timeouts {
    private Timeouts() {
    }

    /** Runs {@code body}; throws {@link DeadlineExceededException} if {@code timeout} passes first. */
    public static <T, E extends Exception> T failAfter(Duration timeout, Work<T, E> body) throws E {
        return CancelScope.after(timeout).call(body);
    }

    /** As {@link #failAfter(Duration, Work)}, with the body receiving its scope. */
    public static <T, E extends Exception> T failAfter(Duration timeout, ScopedWork<T, E> body) throws E {
        return CancelScope.after(timeout).call(body);
    }

    /** Runs {@code body}; throws {@link DeadlineExceededException} if {@code deadline} passes first. */
    public static <T, E extends Exception> T failAt(Instant deadline, Work<T, E> body) throws E {
        return CancelScope.at(deadline).call(body);
    }

    /** As {@link #failAt(Instant, Work)}, with the body receiving its scope. */
    public static <T, E extends Exception> T failAt(Instant deadline, ScopedWork<T, E> body) throws E {
        return CancelScope.at(deadline).call(body);
    }

    /** Runs {@code body}; returns its value, or empty if {@code timeout} cut it short. */
    public static <T, E extends Exception> Optional<T> moveOnAfter(Duration timeout, Work<T, E> body) throws E {
        return CancelScope.after(timeout).run(body);
    }

    /** As {@link #moveOnAfter(Duration, Work)}, with the body receiving its scope. */
    public static <T, E extends Exception> Optional<T> moveOnAfter(Duration timeout, ScopedWork<T, E> body) throws E {
        return CancelScope.after(timeout).run(body);
    }

    /** Runs {@code body}; returns its value, or empty if {@code deadline} cut it short. */
    public static <T, E extends Exception> Optional<T> moveOnAt(Instant deadline, Work<T, E> body) throws E {
        return CancelScope.at(deadline).run(body);
    }

    /** As {@link #moveOnAt(Instant, Work)}, with the body receiving its scope. */
    public static <T, E extends Exception> Optional<T> moveOnAt(Instant deadline, ScopedWork<T, E> body) throws E {
        return CancelScope.at(deadline).run(body);
    }
}
