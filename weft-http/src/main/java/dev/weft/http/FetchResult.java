package dev.weft.http;

import java.util.Locale;
import java.util.Objects;

/**
 * The one result of one {@link FetchRequest} in a {@link BulkFetch} run: a response (status,
 * bytes, where the body was saved) or a failure (its {@link Kind} and a message), with the time it
 * took (all attempts and back-offs) and the attempts made. Every request of a run gets exactly one
 * result, whatever the server does; a request cancelled by the caller gets none (ADR 0304).
 *
 * @param url the URL as given (for an invalid input line, the line's text)
 * @param line the request's position in its input (1-based line number), see {@link FetchRequest#line()}
 * @param method the request's method ({@code GET} unless the input said otherwise)
 * @param status the final HTTP status, or -1 if there was no response
 * @param bytes body bytes read on the final attempt, after Content-Encoding decoding
 * @param nanos wall time from start to end, all attempts and back-offs included
 * @param attempts attempts made (0 for invalid input or a request refused before any attempt)
 * @param kind {@link Kind#OK} or what went wrong
 * @param message a human-readable message when not {@link Kind#OK}, else null
 * @param saved where the body was saved, relative to the save directory (with {@code /} as
 *     separator); null if the body was not kept
 */
public record FetchResult(String url, long line, String method, int status, long bytes, long nanos, int attempts, Kind kind,
        String message, String saved) {

    /**
     * What became of a request. The lower-case {@link #wireName()} is what the JSON Lines output
     * writes as {@code "error"} (null for {@link #OK}). ADR 0304 lists when each applies.
     */
    public enum Kind {
        /** A response with a status below 400 (after redirects), its body read (and saved) whole. */
        OK,
        /** A 4xx status. Not retried. */
        HTTP_4XX,
        /** A 5xx status (500-599), after the retries allowed for 502, 503, 504 (and 500) were spent. */
        HTTP_5XX,
        /** The TCP connect (or TLS handshake) timed out, after retries. */
        TIMEOUT_CONNECT,
        /** The server was silent longer than the read timeout, after retries. */
        TIMEOUT_READ,
        /** An attempt's total time (body included) ran out. */
        TIMEOUT_TOTAL,
        /** No concurrency slot became free within the acquire timeout, after retries. */
        TIMEOUT_ACQUIRE,
        /** The connection failed (refused, reset, closed early), after retries. */
        CONNECTION,
        /** The host name could not be resolved (DNS), after retries. */
        UNKNOWN_HOST,
        /** The TLS handshake failed (untrusted or mismatched certificate, no common protocol). Not retried. */
        TLS,
        /**
         * The answer was not valid HTTP: a status line that is not HTTP, a status outside 100-599,
         * malformed headers or framing. Not retried.
         */
        INVALID_RESPONSE,
        /** Redirects went on past the limit (a loop). Not retried. */
        TOO_MANY_REDIRECTS,
        /** The host's circuit breaker refused the request without sending it. */
        BREAKER_OPEN,
        /** The host's rate limiter refused the request. */
        RATE_LIMITED,
        /** The body grew past the engine's {@code maxBody}; reading stopped and nothing was saved. */
        BODY_TOO_LARGE,
        /** The body's Content-Encoding (gzip, deflate) could not be decoded; nothing was saved. */
        DECODE_ERROR,
        /** The body could not be written to the save directory (disk full, permissions). */
        SAVE_FAILED,
        /** The input line is not a usable URL. Nothing was sent. */
        INVALID_URL,
        /** The input line is a JSON request with a missing or wrong field, or is not valid JSON. Nothing was sent. */
        INVALID_REQUEST,
        /** Anything else (the message says what). */
        OTHER;

        private final String wire = name().toLowerCase(Locale.ROOT);

        /**
         * The name in the JSON Lines output ({@code "http_5xx"}, {@code "timeout_read"}, ...).
         *
         * @return the JSON Lines name
         */
        public String wireName() {
            return wire;
        }

        /**
         * Whether this kind comes from the input itself (the same input always gives it again).
         *
         * @return {@code true} for kinds that a retry cannot change
         */
        public boolean isInvalidInput() {
            return this == INVALID_URL || this == INVALID_REQUEST;
        }

        /**
         * The kind whose {@link #wireName()} is {@code name}.
         *
         * @param name a wire name such as {@code "http_4xx"}
         * @return the kind
         * @throws IllegalArgumentException if no kind has that name
         */
        public static Kind ofWireName(String name) {
            for (Kind k : values()) {
                if (k.wire.equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown result kind '" + name + "'");
        }
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code url}, {@code method} or {@code kind} is null
     */
    public FetchResult {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(kind, "kind");
    }

    /**
     * Whether the request succeeded.
     *
     * @return true for {@link Kind#OK}
     */
    public boolean ok() {
        return kind == Kind.OK;
    }

    /**
     * This result as one line of JSON (no line break): {@code url, line, status, bytes, time_ms,
     * attempts, error, message, saved}, plus {@code method} when it is not GET. This is the format
     * of the journal ({@link BulkFetch.Builder#journal}) and of {@code weft fetch -o}.
     *
     * @return the JSON object
     */
    public String toJson() {
        return json(new StringBuilder(192)).toString();
    }

    /** {@link #toJson()} and a line feed, built once (the journal writes one per result). */
    String toJsonLine() {
        return json(new StringBuilder(192)).append('\n').toString();
    }

    private StringBuilder json(StringBuilder b) {
        b.append("{\"url\":");
        JsonText.string(b, url);
        b.append(",\"line\":").append(line);
        if (!method.equals("GET")) {
            b.append(",\"method\":");
            JsonText.string(b, method);
        }
        b.append(",\"status\":");
        if (status < 0) {
            b.append("null");
        } else {
            b.append(status);
        }
        b.append(",\"bytes\":").append(bytes);
        long micros = nanos / 1000;
        b.append(",\"time_ms\":").append(micros / 1000).append('.');
        long frac = micros % 1000;
        b.append(frac < 10 ? "00" : frac < 100 ? "0" : "").append(frac);
        b.append(",\"attempts\":").append(attempts);
        b.append(",\"error\":");
        JsonText.string(b, kind == Kind.OK ? null : kind.wireName());
        b.append(",\"message\":");
        JsonText.string(b, message);
        b.append(",\"saved\":");
        JsonText.string(b, saved);
        return b.append('}');
    }
}
