package dev.weft.http;

import dev.weft.resilience.RetryAfter;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Inside a {@link RequestPolicies#of(dev.weft.resilience.Policy) weft-resilience policy}, an attempt
 * answered with a status the adapter counts as a failure (by default 429, 502, 503, 504): thrown so
 * that the circuit breaker counts it as a failure and the {@code Retry} retries it, waiting the
 * server's {@code Retry-After} ({@link RetryAfter}). The adapter turns it back into the response when
 * the policy gives up, so a caller of {@link HttpSession#send} still gets the last response as data;
 * it escapes only wrapped, for instance as the cause of a {@code RetryDeadlineExceededException}.
 * A 429 or 503 carrying {@code Retry-After} is the subclass {@link BackPressureException}.
 */
public sealed class RetryableStatusException extends HttpStatusException implements RetryAfter permits BackPressureException {
    private final transient Object response;
    private final transient Optional<Duration> retryAfter;

    RetryableStatusException(String method, URI uri, int status, Optional<Duration> retryAfter, Object response) {
        super(method, uri, status);
        this.retryAfter = retryAfter;
        this.response = response;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }

    /** The response ({@link Response} or {@link StreamingResponse}) that carried the status. */
    Object response() {
        return response;
    }
}
