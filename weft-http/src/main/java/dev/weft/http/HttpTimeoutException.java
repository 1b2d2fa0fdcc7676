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

    private final Kind kind;
    private final transient Duration timeout;

    public HttpTimeoutException(String method, URI uri, Kind kind, Duration timeout, Throwable cause) {
        super(method, uri, describe(kind, timeout), cause);
        this.kind = kind;
        this.timeout = timeout;
    }

    private static String describe(Kind kind, Duration timeout) {
        String what = switch (kind) {
            case ACQUIRE -> "no concurrency permit within the acquire timeout";
            case CONNECT -> "connect timeout";
            case READ -> "read (idle) timeout";
            case TOTAL -> "total timeout";
            case DEADLINE -> "the caller's deadline passed";
        };
        return timeout == null ? what : what + " (" + timeout + ")";
    }

    /** Which timeout passed. */
    public Kind kind() {
        return kind;
    }

    /** The timeout that applied (null if unknown). */
    public Duration timeout() {
        return timeout;
    }
}
