package dev.weft.http;

/**
 * Thrown by a {@link WebHandler} or {@link WebFilter} to answer with an error status: the
 * {@link WebApp} turns it into a JSON body {@code {"status": 404, "error": "no such item"}}.
 * aiohttp's {@code web.HTTPNotFound} and friends, as one class with a status.
 */
public class WebException extends RuntimeException {
    /** The status to answer with. */
    private final int status;

    /**
     * An exception answered with {@code status} and {@code message} as a JSON body.
     *
     * @param status the status to answer with, 400 to 599
     * @param message the message in the answer's body
     * @throws IllegalArgumentException if {@code status} is not a 4xx or 5xx code
     */
    public WebException(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("WebException status must be 4xx or 5xx, got " + status);
        }
        this.status = status;
    }

    /**
     * The status to answer with.
     *
     * @return the status, 400 to 599
     */
    public int status() {
        return status;
    }
}
