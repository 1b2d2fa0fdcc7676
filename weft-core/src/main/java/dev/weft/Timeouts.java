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
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="timeouts"}
 */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * Runs {@code body}; throws {@link DeadlineExceededException} if {@code timeout} passes first.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run; zero or negative cancels it at its first blocking call
     * @param body the code to run on the calling thread
     * @return the body's value
     * @throws E the body's own exception, unchanged
     * @throws DeadlineExceededException if the timeout cut the body short (the interruption is the cause)
     */
    public static <T, E extends Exception> T failAfter(Duration timeout, Work<T, E> body) throws E {
        return CancelScope.after(timeout).call(body);
    }

    /**
     * As {@link #failAfter(Duration, Work)}, with the body receiving its scope.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run; zero or negative cancels it at its first blocking call
     * @param body the code to run on the calling thread, given its scope
     * @return the body's value
     * @throws E the body's own exception, unchanged
     * @throws DeadlineExceededException if the timeout cut the body short (the interruption is the cause)
     */
    public static <T, E extends Exception> T failAfter(Duration timeout, ScopedWork<T, E> body) throws E {
        return CancelScope.after(timeout).call(body);
    }

    /**
     * Runs {@code body}; throws {@link DeadlineExceededException} if {@code deadline} passes first.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param deadline when the body is cancelled, on the calling thread's time source
     * @param body the code to run on the calling thread
     * @return the body's value
     * @throws E the body's own exception, unchanged
     * @throws DeadlineExceededException if the deadline cut the body short (the interruption is the cause)
     */
    public static <T, E extends Exception> T failAt(Instant deadline, Work<T, E> body) throws E {
        return CancelScope.at(deadline).call(body);
    }

    /**
     * As {@link #failAt(Instant, Work)}, with the body receiving its scope.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param deadline when the body is cancelled, on the calling thread's time source
     * @param body the code to run on the calling thread, given its scope
     * @return the body's value
     * @throws E the body's own exception, unchanged
     * @throws DeadlineExceededException if the deadline cut the body short (the interruption is the cause)
     */
    public static <T, E extends Exception> T failAt(Instant deadline, ScopedWork<T, E> body) throws E {
        return CancelScope.at(deadline).call(body);
    }

    /**
     * Runs {@code body}; returns its value, or empty if {@code timeout} cut it short.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run; zero or negative cancels it at its first blocking call
     * @param body the code to run on the calling thread
     * @return the body's value, or empty if the timeout cut it short (or the body returned null)
     * @throws E the body's own exception, unchanged
     */
    public static <T, E extends Exception> Optional<T> moveOnAfter(Duration timeout, Work<T, E> body) throws E {
        return CancelScope.after(timeout).run(body);
    }

    /**
     * As {@link #moveOnAfter(Duration, Work)}, with the body receiving its scope.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param timeout how long the body may run; zero or negative cancels it at its first blocking call
     * @param body the code to run on the calling thread, given its scope
     * @return the body's value, or empty if the timeout cut it short (or the body returned null)
     * @throws E the body's own exception, unchanged
     */
    public static <T, E extends Exception> Optional<T> moveOnAfter(Duration timeout, ScopedWork<T, E> body) throws E {
        return CancelScope.after(timeout).run(body);
    }

    /**
     * Runs {@code body}; returns its value, or empty if {@code deadline} cut it short.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param deadline when the body is cancelled, on the calling thread's time source
     * @param body the code to run on the calling thread
     * @return the body's value, or empty if the deadline cut it short (or the body returned null)
     * @throws E the body's own exception, unchanged
     */
    public static <T, E extends Exception> Optional<T> moveOnAt(Instant deadline, Work<T, E> body) throws E {
        return CancelScope.at(deadline).run(body);
    }

    /**
     * As {@link #moveOnAt(Instant, Work)}, with the body receiving its scope.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param deadline when the body is cancelled, on the calling thread's time source
     * @param body the code to run on the calling thread, given its scope
     * @return the body's value, or empty if the deadline cut it short (or the body returned null)
     * @throws E the body's own exception, unchanged
     */
    public static <T, E extends Exception> Optional<T> moveOnAt(Instant deadline, ScopedWork<T, E> body) throws E {
        return CancelScope.at(deadline).run(body);
    }
}
