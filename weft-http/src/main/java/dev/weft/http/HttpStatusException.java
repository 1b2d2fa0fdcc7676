package dev.weft.http;

/** Thrown by {@link Response#raiseForStatus()} for a 4xx or 5xx status (aiohttp's {@code ClientResponseError}). */
public class HttpStatusException extends HttpException {
    /** The response status. */
    private final int status;

    /**
     * An exception for a response with status {@code status}, of kind {@code STATUS}.
     *
     * @param method the request's method
     * @param uri the request's URI
     * @param status the response status
     */
    public HttpStatusException(String method, java.net.URI uri, int status) {
        super(method, uri, ErrorKind.STATUS, "status " + status, null);
        this.status = status;
    }

    /**
     * The response status.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }
}
