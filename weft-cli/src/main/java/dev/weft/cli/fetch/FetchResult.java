package dev.weft.cli.fetch;

/**
 * One line of {@code weft fetch}'s output: a URL fetched (status, bytes) or failed (error kind
 * and message), with the time it took (all attempts and back-offs) and the attempts made.
 *
 * @param url the URL as given
 * @param line the input line number (1-based)
 * @param status the final HTTP status, or -1 if no response
 * @param bytes body bytes received on the final attempt
 * @param nanos wall time from start to end, all attempts included
 * @param attempts attempts made (0 for invalid input)
 * @param errorKind null when ok; else one of {@code http_4xx http_5xx timeout_connect timeout_read
 *     timeout_total timeout_acquire connection invalid_url other}
 * @param error a human-readable message, or null
 */
public record FetchResult(String url, long line, int status, long bytes, long nanos, int attempts, String errorKind,
        String error) {

    /** Whether the fetch succeeded (a 1xx-3xx status). */
    public boolean ok() {
        return errorKind == null;
    }
}
