package dev.weft.http;

/**
 * Thrown by a {@link WebHandler} or {@link WebFilter} to answer with an error status: the
 * {@link WebApp} turns it into a JSON body {@code {"status": 404, "error": "no such item"}}.
 * aiohttp's {@code web.HTTPNotFound} and friends, as one class with a status.
 */
public class WebException extends RuntimeException {
    private final int status;

    /**
     * @throws IllegalArgumentException if {@code status} is not a 4xx or 5xx code
     */
    public WebException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("WebException status must be 4xx or 5xx, got " + status);
        }
        this.status = status;
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }
}
