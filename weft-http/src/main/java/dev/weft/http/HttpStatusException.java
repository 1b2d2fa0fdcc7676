package dev.weft.http;

/** Thrown by {@link Response#raiseForStatus()} for a 4xx or 5xx status (aiohttp's {@code ClientResponseError}). */
public class HttpStatusException extends HttpException {
    private final int status;

    public HttpStatusException(String method, java.net.URI uri, int status) {
        super(method, uri, "status " + status, null);
        this.status = status;
    }

    /** The response status. */
    public int status() {
        return status;
    }
}
