package dev.weft.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The four timeouts of an HTTP request, split the way aiohttp's {@code ClientTimeout} users ask
 * for, so that "the pool was busy" can be told apart from "the server was slow".
 *
 * <ul>
 *   <li>{@code acquire}: the longest wait for a concurrency permit (the session's global and
 *       per-host {@link dev.weft.Limiter}s), aiohttp's pool wait. Fails with
 *       {@link HttpTimeoutException.Kind#ACQUIRE}.</li>
 *   <li>{@code connect}: opening the TCP connection (and TLS handshake). Session-wide: the Jetty
 *       client sets it per connection, so a per-request value is ignored. Fails with
 *       {@link HttpTimeoutException.Kind#CONNECT}.</li>
 *   <li>{@code read}: the longest silence while waiting for response bytes (an idle timeout, reset
 *       by every byte received), aiohttp's {@code sock_read}. Fails with
 *       {@link HttpTimeoutException.Kind#READ}.</li>
 *   <li>{@code total}: the whole exchange for a buffered response, from the permit wait to the
 *       last body byte; for a streamed response, until the response headers arrive (the body is
 *       then bounded by {@code read} and by the caller's own deadline). Fails with
 *       {@link HttpTimeoutException.Kind#TOTAL}.</li>
 * </ul>
 *
 * <p>A {@code null} component means "no limit of its own". Whatever is configured, every wait is
 * also shortened to {@link dev.weft.Deadline#current()}: a request made inside
 * {@code Timeouts.failAfter(2s, ...)} never outlives those two seconds.
 *
 * @param acquire longest permit wait; default {@code null} (bounded by {@code total} only)
 * @param connect TCP connect timeout; default 10 s
 * @param read idle timeout between received bytes; default 30 s
 * @param total whole-request timeout; default 5 minutes (aiohttp's default)
 */
public record HttpTimeouts(Duration acquire, Duration connect, Duration read, Duration total) {

    /** acquire: none of its own; connect 10 s; read 30 s; total 5 min. */
    public static final HttpTimeouts DEFAULTS =
            new HttpTimeouts(null, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(5));

    /**
     * Checks the timeouts; null means "none of its own" for each.
     *
     * @throws IllegalArgumentException if a given duration is zero or negative
     */
    public HttpTimeouts {
        check("acquire", acquire);
        check("connect", connect);
        check("read", read);
        check("total", total);
    }

    private static void check(String name, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new IllegalArgumentException(name + " timeout must be positive or null (no limit of its own), got " + d);
        }
    }

    /**
     * A copy with {@code acquire} replaced.
     *
     * @param d the new acquire timeout, or null for none
     * @return a copy with the acquire timeout replaced
     */
    public HttpTimeouts withAcquire(Duration d) {
        return new HttpTimeouts(d, connect, read, total);
    }

    /**
     * A copy with {@code connect} replaced.
     *
     * @param d the new connect timeout, or null for none
     * @return a copy with the connect timeout replaced
     */
    public HttpTimeouts withConnect(Duration d) {
        return new HttpTimeouts(acquire, d, read, total);
    }

    /**
     * A copy with {@code read} replaced.
     *
     * @param d the new read timeout, or null for none
     * @return a copy with the read timeout replaced
     */
    public HttpTimeouts withRead(Duration d) {
        return new HttpTimeouts(acquire, connect, d, total);
    }

    /**
     * A copy with {@code total} replaced.
     *
     * @param d the new total timeout, or null for none
     * @return a copy with the total timeout replaced
     */
    public HttpTimeouts withTotal(Duration d) {
        return new HttpTimeouts(acquire, connect, read, d);
    }

    static Duration min(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "HttpTimeouts[acquire=" + Objects.toString(acquire, "none") + ", connect=" + Objects.toString(connect, "none")
                + ", read=" + Objects.toString(read, "none") + ", total=" + Objects.toString(total, "none") + "]";
    }
}
