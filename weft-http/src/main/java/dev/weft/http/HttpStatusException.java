package dev.weft.http;

/** Thrown by {@link Response#raiseForStatus()} for a 4xx or 5xx status (aiohttp's {@code ClientResponseError}). */
public class HttpStatusException extends HttpException {
    private final int status;

    /**
     * @param method the request's method
     * @param uri the request's URI
     * @param status the response status
     */
    public HttpStatusException(String method, java.net.URI uri, int status) {
        super(method, uri, ErrorKind.STATUS, "status " + status, null);
        this.status = status;
    }

    /** The response status. */
    public int status() {
        return status;
    }
}
