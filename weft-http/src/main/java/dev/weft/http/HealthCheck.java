package dev.weft.http;

/**
 * A user health check for a {@link WebApp}'s liveness, readiness or startup endpoint. Returning
 * {@code true} means UP; returning {@code false} or throwing means DOWN (the exception's message
 * is shown). Each check runs on its own virtual thread with its own timeout (a check still running
 * when its timeout passes is cancelled and counted DOWN), all checks of an endpoint concurrently.
 */
@FunctionalInterface
public interface HealthCheck {
    /**
     * Runs the check.
     * @return {@code true} for UP, {@code false} for DOWN
     * @throws Exception any failure, reported as DOWN with its message
     */
    boolean check() throws Exception;
}
