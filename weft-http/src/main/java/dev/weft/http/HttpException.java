package dev.weft.http;

import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Locale;

/**
 * An HTTP exchange failed: the connection could not be made, was closed early, the response was
 * malformed or too large. Unchecked; carries the method, the URI and an {@link #errorKind() error
 * kind}, and a message in plain words ("the server closed the connection before the response was
 * complete", "status line is not HTTP", "too many redirects (8)") that never names a library class
 * or object; the transport's own exception stays chained as the cause, for debugging. Timeouts are
 * the subclass {@link HttpTimeoutException}; an error status turned into an exception by
 * {@link Response#raiseForStatus()} is {@link HttpStatusException}. A cancelled caller never sees
 * this: it gets {@link InterruptedException}.
 */
public class HttpException extends RuntimeException {
    /**
     * What went wrong, as a stable identifier for programs and reports ({@link #id()}, e.g.
     * {@code "connection_closed"}); the message says the same in words. The set may grow.
     */
    public enum ErrorKind {
        /** Nothing accepted the connection (no server listening, or a firewall refused it). */
        CONNECTION_REFUSED,
        /** The host name could not be resolved (DNS). */
        UNKNOWN_HOST,
        /** The TLS handshake failed: untrusted or mismatched certificate, or no common protocol. */
        TLS,
        /** The server closed or reset the connection before the response was complete. */
        CONNECTION_CLOSED,
        /**
         * The server's answer is not valid HTTP: a status line that is not HTTP, a status code
         * outside 100-599, malformed headers or framing.
         */
        INVALID_RESPONSE,
        /** Redirects went on beyond the session's limit (a redirect loop). */
        TOO_MANY_REDIRECTS,
        /** A buffered body was larger than the session's {@code maxBufferedBody}. */
        BODY_TOO_LARGE,
        /** No concurrency permit within the acquire timeout (the request was never sent). */
        TIMEOUT_ACQUIRE,
        /** The connection (TCP and TLS) was not established within the connect timeout. */
        TIMEOUT_CONNECT,
        /** The server was silent for longer than the read (idle) timeout. */
        TIMEOUT_READ,
        /** The exchange took longer than the total timeout. */
        TIMEOUT_TOTAL,
        /** The caller's deadline ({@link dev.weft.Deadline#current()}) came first. */
        TIMEOUT_DEADLINE,
        /** An error status turned into an exception ({@link HttpStatusException}). */
        STATUS,
        /** Another network error (the message says which). */
        NETWORK,
        /** Anything else (the message and the cause say what). */
        OTHER;

        /**
         * The kind's stable identifier: its name in lower case, e.g. {@code "timeout_read"}.
         *
         * @return the identifier, e.g. {@code "timeout_read"}
         */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The request's method. */
    private final String method;
    private final transient URI uri;
    /** What went wrong, as a stable kind. */
    private final ErrorKind errorKind;
    /** What went wrong, without the method and URI. */
    private final String detail;

    /**
     * An exchange failure of kind {@link ErrorKind#OTHER}.
     *
     * @param method the request's method
     * @param uri the request's URI
     * @param message what happened, in plain words
     * @param cause the underlying failure, or null
     */
    public HttpException(String method, URI uri, String message, Throwable cause) {
        this(method, uri, ErrorKind.OTHER, message, cause);
    }

    /**
     * An exchange failure of the given kind; the message reads {@code "GET http://...: " + message}.
     *
     * @param method the request's method
     * @param uri the request's URI
     * @param kind what went wrong
     * @param message what happened, in plain words
     * @param cause the underlying failure, or null
     */
    public HttpException(String method, URI uri, ErrorKind kind, String message, Throwable cause) {
        super(method + " " + uri + ": " + message, cause);
        this.method = method;
        this.uri = uri;
        this.errorKind = java.util.Objects.requireNonNull(kind, "kind");
        this.detail = message;
    }

    /**
     * The request's method.
     *
     * @return the method, e.g. {@code "GET"}
     */
    public String method() {
        return method;
    }

    /**
     * The request's URI.
     *
     * @return the URI the request was sent to
     */
    public URI uri() {
        return uri;
    }

    /**
     * What went wrong, as a stable kind.
     *
     * @return the kind, never null
     */
    public ErrorKind errorKind() {
        return errorKind;
    }

    /**
     * The message without the method and URI, e.g. {@code "too many redirects (8)"}.
     *
     * @return the detail, never null
     */
    public String detail() {
        return detail;
    }

    /**
     * The kind of any failure met while using an {@link HttpSession}, including the
     * {@link java.io.IOException}s a {@link StreamingResponse#body()} throws (whose cause is an
     * {@code HttpException}): the first {@code HttpException} in the cause chain decides; a
     * {@link SocketTimeoutException} is {@link ErrorKind#TIMEOUT_READ}; otherwise the failure is
     * classified as the session classifies transport failures ({@link ErrorKind#OTHER} if unknown).
     *
     * @param failure the failure (not null)
     * @return its kind
     */
    public static ErrorKind kindOf(Throwable failure) {
        java.util.Objects.requireNonNull(failure, "failure");
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException h) {
                return h.errorKind();
            }
            if (t instanceof SocketTimeoutException) {
                return ErrorKind.TIMEOUT_READ;
            }
        }
        return Failures.describe(failure, -1, -1).kind();
    }
}
