package dev.weft.resilience;

import dev.weft.Work;

/**
 * The rest of a pipeline, composed once when a {@link Policy} is built, so that a call through the
 * policy allocates nothing: each component runs {@code next.run(call)} where it would run
 * {@code call.call()}. Not API.
 */
abstract class Step {
    /** Runs the call itself. */
    static final Step CALL = new Step() {
        @Override
        <T, E extends Exception> T run(Work<T, E> call) throws E {
            return call.call();
        }
    };

    /** Runs {@code call} through the rest of the pipeline; throws what the call threw, or the pipeline's own exceptions. */
    abstract <T, E extends Exception> T run(Work<T, E> call) throws E, InterruptedException;
}
