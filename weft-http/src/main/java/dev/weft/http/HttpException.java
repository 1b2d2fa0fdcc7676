package dev.weft.http;

import java.net.URI;

/**
 * An HTTP exchange failed: the connection could not be made, was reset, the response was
 * malformed or too large. Unchecked; carries the method and URI. Timeouts are the subclass
 * {@link HttpTimeoutException}; an error status turned into an exception by
 * {@link Response#raiseForStatus()} is {@link HttpStatusException}. A cancelled caller never
 * sees this: it gets {@link InterruptedException}.
 */
public class HttpException extends RuntimeException {
    private final String method;
    private final transient URI uri;

    public HttpException(String method, URI uri, String message, Throwable cause) {
        super(method + " " + uri + ": " + message, cause);
        this.method = method;
        this.uri = uri;
    }

    /** The request's method. */
    public String method() {
        return method;
    }

    /** The request's URI. */
    public URI uri() {
        return uri;
    }
}
