package dev.weft.redis;

/**
 * Redis could not be reached or the connection broke during an operation (server down, restarted,
 * network). Whether the operation took effect is unknown for writes in flight; see each method.
 * Nothing Redis acknowledged is lost if the server persists it (AOF with {@code appendfsync
 * always}; {@code everysec} may lose the last second). Callers retry when the server is back.
 */
public final class RedisUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception saying which Redis operation failed and where.
     *
     * @param message what failed and where
     * @param cause the client's exception
     */
    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
