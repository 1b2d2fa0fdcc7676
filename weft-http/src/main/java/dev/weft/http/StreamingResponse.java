package dev.weft.http;

import dev.weft.Limiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.client.InputStreamResponseListener;

/**
 * A response whose body is read as it arrives ({@link HttpSession#stream}): memory stays flat
 * whatever the body's size, because Jetty is asked for more bytes only as {@link #body()} is read.
 *
 * <p>Close it (try-with-resources). Closing releases the session's permits; if the body was not
 * read to its end, closing aborts the exchange and closes its connection (a half-read HTTP/1.1
 * connection cannot be reused). Closing twice does nothing.
 *
 * <p>Reading the body: a read idle timeout surfaces as {@link SocketTimeoutException}, a cancelled
 * reader as {@link InterruptedIOException} (the exchange is then aborted), other failures as
 * {@link IOException}. Not thread-safe: one reader.
 */
public final class StreamingResponse implements AutoCloseable, dev.weft.resilience.RetryAfter {
    private final Request request;
    private final URI uri;
    private final int status;
    private final Map<String, List<String>> headers;
    private final Exchange exchange;
    private final Limiter.Permit[] permits;
    private final int attempts;
    private final Duration readTimeout;
    private final String version;
    private final Body body;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean complete;

    StreamingResponse(Request request, URI uri, int status, Map<String, List<String>> headers,
            Exchange exchange, Limiter.Permit[] permits,
            int attempts, Duration readTimeout, String version) {
        this.request = request;
        this.uri = uri;
        this.status = status;
        this.headers = headers;
        this.exchange = exchange;
        this.permits = permits;
        this.attempts = attempts;
        this.readTimeout = readTimeout;
        this.version = version;
        this.body = new Body(exchange.in());
    }

    /**
     * The status code.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * The URI that answered (after redirects).
     *
     * @return the final URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * Header names in lower case to their values.
     *
     * @return an unmodifiable map of the headers
     */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * The first value of header {@code name} (case-insensitive).
     *
     * @param name the header's name, in any case
     * @return the first value, or empty if the header is absent
     */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.getFirst());
    }

    /**
     * The protocol version of the exchange: {@code "HTTP/1.1"}, or {@code "HTTP/2"} when negotiated by
     * ALPN over HTTPS.
     *
     * @return the version
     */
    public String version() {
        return version;
    }

    /**
     * How many attempts the request's policy made.
     *
     * @return the number of attempts, at least 1
     */
    public int attempts() {
        return attempts;
    }

    /** The server's {@code Retry-After} (seconds or an HTTP date, never negative); empty if absent or malformed. */
    @Override
    public java.util.Optional<java.time.Duration> retryAfter() {
        return RequestPolicies.parseRetryAfter(header("retry-after").orElse(null));
    }

    /**
     * The body, read as it arrives. Always the same stream.
     *
     * @return the body stream; closing it (or this response) releases the connection
     */
    public InputStream body() {
        return body;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            exchange.end(complete);
        } finally {
            for (int i = permits.length - 1; i >= 0; i--) {
                if (permits[i] != null) {
                    permits[i].close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "StreamingResponse[" + request + " -> " + status + "]";
    }

    /** The transport under a response: Jetty's exchange, or a {@link DirectHttp1} one. */
    interface Exchange {
        /** The body as it arrives. */
        InputStream in();

        /** Ends the exchange: {@code complete} if the body was read to its end (else it is aborted, its connection closed). */
        void end(boolean complete);
    }

    /** A Jetty exchange read through an {@link InputStreamResponseListener}. */
    record JettyExchange(org.eclipse.jetty.client.Request request, InputStreamResponseListener listener) implements Exchange {
        @Override
        public InputStream in() {
            return listener.getInputStream();
        }

        @Override
        public void end(boolean complete) {
            if (!complete) {
                HttpSession.abortAndAwait(request, listener, new CancellationException("response body closed before its end"));
            }
            try {
                listener.getInputStream().close();
            } catch (IOException ignored) {
                // the exchange is over either way; nothing left to free
            }
        }
    }

    /** A {@link DirectHttp1} exchange: the connection goes back to the pool when the body was read to its end. */
    record DirectExchange(DirectHttp1.Exchange exchange) implements Exchange {
        @Override
        public InputStream in() {
            return exchange.body;
        }

        @Override
        public void end(boolean complete) {
            exchange.release();
        }
    }

    private final class Body extends InputStream {
        private final InputStream in;

        Body(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed.get()) {
                throw new IOException("the response was closed");
            }
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0; // Jetty's stream would block for the next chunk (readNBytes asks for 0 bytes)
            }
            try {
                int n = in.read(b, off, len);
                if (n < 0) {
                    complete = true;
                }
                return n;
            } catch (DirectHttp1.TotalTimeout e) {
                HttpTimeoutException t = new HttpTimeoutException(request.method(), request.uri(), HttpTimeoutException.Kind.TOTAL,
                        request.timeouts() == null ? null : request.timeouts().total(), "while reading the body", e);
                throw new IOException(t.getMessage(), t);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    InterruptedIOException ie = new InterruptedIOException("body read cancelled: " + request);
                    ie.initCause(e);
                    throw ie;
                }
                for (Throwable t = e; t != null; t = t.getCause()) {
                    if (t instanceof TimeoutException && String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("idle")) {
                        SocketTimeoutException st = new SocketTimeoutException(
                                "read (idle) timeout" + (readTimeout == null ? "" : " (" + readTimeout + ")") + ": " + request);
                        st.initCause(e);
                        throw st;
                    }
                }
                Failures.Described d = Failures.describe(e, -1, -1);
                HttpException h = new HttpException(request.method(), request.uri(), d.kind(), d.message(), e);
                throw new IOException(h.getMessage(), h);
            }
        }

        @Override
        public int available() throws IOException {
            return closed.get() ? 0 : in.available();
        }

        @Override
        public void close() {
            StreamingResponse.this.close();
        }
    }
}
