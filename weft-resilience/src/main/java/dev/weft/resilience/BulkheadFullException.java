package dev.weft.resilience;

import java.time.Duration;

/** A {@link Bulkhead} had no free slot within its maximum wait. Names the bulkhead; no stack trace. */
public final class BulkheadFullException extends RejectedException {
    BulkheadFullException(String name, int maxConcurrent, Duration maxWait) {
        super("bulkhead '" + name + "' is full: " + maxConcurrent + " calls in flight and no slot freed within "
                + maxWait, name, null);
    }
}
