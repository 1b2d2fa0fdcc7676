package dev.weft.resilience;

import dev.weft.TaskGroupException;
import java.util.List;

/**
 * Every attempt of a {@link Hedge} failed. {@link #failures()} holds each attempt's failure in the
 * order they ended (the first is also the cause, all are suppressed), as {@link dev.weft.Weft#race}
 * reports them.
 */
public final class HedgeFailedException extends TaskGroupException {
    HedgeFailedException(String name, List<Throwable> failures) {
        super("hedge '" + name + "': all " + failures.size() + " attempts failed: " + failures, failures);
    }
}
