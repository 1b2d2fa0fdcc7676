package dev.weft.http;

import dev.weft.resilience.BackPressure;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Inside a {@link RequestPolicies} policy, an attempt answered with 429 or 503 carrying
 * {@code Retry-After}: the server asking its clients to slow down. It is weft-resilience's
 * {@link BackPressure}: the {@code Retry} retries it after the server's delay (without taking from
 * the retry budget) and the {@code CircuitBreaker} does not count it as a failure. The session
 * also pauses the host until then, so the host's other requests wait too. As for every
 * {@link RetryableStatusException}, the caller gets the last response as data when the policy
 * gives up.
 */
public final class BackPressureException extends RetryableStatusException implements BackPressure {
    BackPressureException(String method, URI uri, int status, Optional<Duration> retryAfter, Object response) {
        super(method, uri, status, retryAfter, response);
    }
}
