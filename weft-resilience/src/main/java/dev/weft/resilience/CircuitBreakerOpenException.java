package dev.weft.resilience;

import java.time.Duration;

/**
 * A {@link CircuitBreaker} refused a call: it is open, forced open, or half-open with every trial
 * call already taken. Carries the breaker's name and state; when the breaker is open, its
 * {@link #retryAfter()} is the time left until it lets trial calls through. No stack trace.
 */
public final class CircuitBreakerOpenException extends RejectedException {
    /** The breaker's state when it refused the call. */
    private final CircuitBreaker.State state;

    CircuitBreakerOpenException(String name, CircuitBreaker.State state, Duration retryAfter) {
        super("circuit breaker '" + name + "' is " + state + (retryAfter == null ? ""
                : "; trial calls in " + retryAfter) + ": call not permitted", name, retryAfter);
        this.state = state;
    }

    /**
     * The state the breaker was in when it refused the call.
     *
     * @return the state that refused the call: {@code OPEN}, {@code FORCED_OPEN} or {@code HALF_OPEN}
     */
    public CircuitBreaker.State state() {
        return state;
    }
}
