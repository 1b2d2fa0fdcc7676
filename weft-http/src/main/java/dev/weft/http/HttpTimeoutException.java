package dev.weft.http;

import java.net.URI;
import java.time.Duration;

/**
 * One of a request's {@link HttpTimeouts} passed. {@link #kind()} says which: a caller that sees
 * {@link Kind#ACQUIRE} knows the server was never contacted (the session's own limits were
 * saturated), which makes retrying safe even for non-idempotent requests.
 */
public class HttpTimeoutException extends HttpException {
    /** Which timeout passed. */
    public enum Kind {
        /** Waiting for a global or per-host concurrency permit (the request was never sent). */
        ACQUIRE,
        /** Opening the connection. */
        CONNECT,
        /** Silence between received bytes exceeded the read (idle) timeout. */
        READ,
        /** The whole exchange exceeded the total timeout. */
        TOTAL,
        /** The caller's {@link dev.weft.Deadline#current()} came first (shortening the total). */
        DEADLINE
    }

    /** Which timeout passed. */
    private final Kind kind;
    private final transient Duration timeout;

    /**
     * An exception for a timeout of kind {@code kind}; its error kind is the matching {@code TIMEOUT_*}.
     *
     * @param method the request's method
     * @param uri the request's URI
     * @param kind which timeout passed
     * @param timeout the timeout that applied, or null if unknown
     * @param cause the underlying failure, or null
     */
    public HttpTimeoutException(String method, URI uri, Kind kind, Duration timeout, Throwable cause) {
        this(method, uri, kind, timeout, null, cause);
    }

    /**
     * As {@link #HttpTimeoutException(String, URI, Kind, Duration, Throwable)}, with words saying why
     * (appended to the message after the timeout).
     *
     * @param method the request's method
     * @param uri the request's URI
     * @param kind which timeout passed
     * @param timeout the timeout that applied, or null if unknown
     * @param why more words, or null
     * @param cause the underlying failure, or null
     */
    public HttpTimeoutException(String method, URI uri, Kind kind, Duration timeout, String why, Throwable cause) {
        super(method, uri, errorKind(kind), describe(kind, timeout) + (why == null ? "" : ": " + why), cause);
        this.kind = kind;
        this.timeout = timeout;
    }

    private static ErrorKind errorKind(Kind kind) {
        return switch (kind) {
            case ACQUIRE -> ErrorKind.TIMEOUT_ACQUIRE;
            case CONNECT -> ErrorKind.TIMEOUT_CONNECT;
            case READ -> ErrorKind.TIMEOUT_READ;
            case TOTAL -> ErrorKind.TIMEOUT_TOTAL;
            case DEADLINE -> ErrorKind.TIMEOUT_DEADLINE;
        };
    }

    private static String describe(Kind kind, Duration timeout) {
        String what = switch (kind) {
            case ACQUIRE -> "no concurrency permit within the acquire timeout";
            case CONNECT -> "connect timeout: the connection was not established in time";
            case READ -> "read timeout: the server sent nothing for longer than the read (idle) timeout";
            case TOTAL -> "total timeout: the exchange took longer than the total timeout";
            case DEADLINE -> "the caller's deadline passed";
        };
        return timeout == null ? what : what + " (" + timeout + ")";
    }

    /**
     * Which timeout passed.
     *
     * @return which timeout passed
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The timeout that applied (null if unknown).
     *
     * @return the timeout, or null if unknown
     */
    public Duration timeout() {
        return timeout;
    }
}
