package dev.weft.resilience;

import java.util.concurrent.Callable;

/**
 * The rest of a pipeline, composed once when a {@link Policy} is built, so that a call through the
 * policy allocates nothing: each component runs {@code next.run(call)} where it would run
 * {@code call.call()}. Not API.
 */
abstract class Step {
    /** Runs the call itself. */
    static final Step CALL = new Step() {
        @Override
        <T> T run(Callable<? extends T> call) throws Exception {
            return call.call();
        }
    };

    abstract <T> T run(Callable<? extends T> call) throws Exception;
}
