package dev.weft.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Plain-HTTP/1.1 exchanges on blocking sockets, run on the caller's (virtual) thread: the
 * transport of {@link HttpSession#stream} for {@code http://} URIs when the session is built with
 * {@link HttpSession.Builder#directHttp1 directHttp1} (what {@link BulkFetch} does). No selector
 * thread, no hand-off between threads, no listener chain: a request is one write, a response
 * is read by the thread that waits for it, and the JDK's poller parks the virtual thread while
 * the socket has nothing to read. HTTPS, HTTP/2 and everything else stay on Jetty (ADR 0330,
 * which has the measurement: the Java clients cost 3-4x the CPU per request of this path).
 *
 * <p>What it implements, and nothing more: keep-alive connections pooled per host (LIFO, closed
 * after the session's keep-alive when idle), one retry on a fresh connection when a pooled one
 * turns out closed before any byte of the response (idempotent methods only, as every client
 * does), {@code Content-Length}, {@code chunked} and read-to-close bodies, 1xx responses skipped,
 * redirects (301, 302, 303, 307, 308) followed within plain http (a redirect to https is handed
 * back to the caller), read timeouts (socket silence) and a total deadline on every read.
 * Cancellation: interrupting the thread closes the socket (the JDK does so for a virtual thread
 * blocked in a read) and the connection is never pooled again.
 *
 * <p>Failures: transport errors are the JDK's ({@code ConnectException}, {@code EOFException},
 * {@code SocketException}), classified by {@link Failures}; protocol errors are
 * {@link HttpException}s of kind {@code INVALID_RESPONSE} or {@code TOO_MANY_REDIRECTS}; a read
 * timeout is a {@link SocketTimeoutException}, a connect timeout a {@link ConnectTimeout}, the
 * total deadline a {@link TotalTimeout}.
 */
final class DirectHttp1 implements AutoCloseable {
    /** The read buffer, also the largest response head (status line and headers) accepted. */
    private static final int BUFFER = 16 * 1024;

    private final ConcurrentHashMap<String, ConcurrentLinkedDeque<Conn>> idle = new ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final long keepAliveNanos;
    private final String userAgent;
    private final boolean followRedirects;
    private final int maxRedirects;
    private volatile boolean closed;
    /** Exchanges opened (requests sent), redirects included. */
    private final java.util.concurrent.atomic.LongAdder exchanges = new java.util.concurrent.atomic.LongAdder();

    DirectHttp1(Duration connectTimeout, Duration keepAlive, String userAgent, boolean followRedirects, int maxRedirects) {
        this.connectTimeout = connectTimeout;
        this.keepAliveNanos = keepAlive.toNanos();
        this.userAgent = userAgent;
        this.followRedirects = followRedirects;
        this.maxRedirects = maxRedirects;
    }

    /** Whether this transport takes {@code uri}: plain http with a host. */
    static boolean handles(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
    }

    /** A connect that took longer than the connect timeout. */
    static final class ConnectTimeout extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        ConnectTimeout(String message) {
            super(message);
        }
    }

    /** A read that would go past the exchange's total deadline. */
    static final class TotalTimeout extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        TotalTimeout(String message) {
            super(message);
        }
    }

    /** A redirect to a URI this transport does not take (https): the caller sends it another way. */
    static final class Elsewhere extends IOException {
        private static final long serialVersionUID = 1L;
        final transient Request next;
        final int redirects;

        Elsewhere(Request next, int redirects) {
            super("redirected to " + next.uri(), null);
            this.next = next;
            this.redirects = redirects;
        }
    }

    // ------------------------------------------------------------------------------ the exchange

    /**
     * Sends {@code req} (following redirects within plain http) and reads the response head.
     *
     * @param req the request (plain http)
     * @param read the longest silence while reading, or null for none
     * @param deadline {@link System#nanoTime()} by which the exchange must end, or {@link Long#MAX_VALUE}
     * @return the response, its body unread
     */
    Exchange open(Request req, Duration read, long deadline) throws IOException {
        Request cur = req;
        for (int redirects = 0; ; redirects++) {
            Exchange e = once(cur, read, deadline);
            URI next = followRedirects ? redirectTarget(e) : null;
            if (next == null) {
                return e;
            }
            e.discard();
            if (redirects >= maxRedirects) {
                throw new HttpException(req.method(), req.uri(), HttpException.ErrorKind.TOO_MANY_REDIRECTS,
                        "too many redirects (" + maxRedirects + "): a redirect loop?", null);
            }
            cur = redirected(cur, e.status, next);
            if (!handles(next)) {
                throw new Elsewhere(cur, redirects + 1);
            }
        }
    }

    private static URI redirectTarget(Exchange e) {
        int s = e.status;
        if (s != 301 && s != 302 && s != 303 && s != 307 && s != 308) {
            return null;
        }
        List<String> loc = e.headers.get("location");
        if (loc == null || loc.isEmpty() || loc.getFirst().isBlank()) {
            return null; // a 3xx without a place to go is the answer itself
        }
        try {
            return e.uri.resolve(new URI(loc.getFirst().strip()));
        } catch (java.net.URISyntaxException | IllegalArgumentException bad) {
            return null;
        }
    }

    /** The request a redirect asks for: 303, and 301/302 after a POST, become a GET without body (as browsers and Jetty do). */
    private static Request redirected(Request r, int status, URI to) {
        boolean toGet = (status == 303 && !r.method().equals("HEAD")) || ((status == 301 || status == 302) && r.method().equals("POST"));
        Request n = Request.of(toGet ? "GET" : r.method(), to);
        for (Map.Entry<String, String> h : r.headers()) {
            n = n.withHeader(h.getKey(), h.getValue());
        }
        if (!toGet && r.bodyBytes() != null) {
            n = n.withBody(r.bodyBytes(), r.contentType());
        }
        return r.timeouts() == null ? n : n.withTimeouts(r.timeouts());
    }

    /** Requests sent so far. */
    long exchanges() {
        return exchanges.sum();
    }

    private Exchange once(Request req, Duration read, long deadline) throws IOException {
        exchanges.increment();
        URI uri = req.uri();
        String host = uri.getHost();
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        String key = host.toLowerCase(Locale.ROOT) + ":" + port;
        byte[] head = head(req, host, port);
        byte[] body = req.bodyBytes();
        boolean retryable = idempotent(req.method());
        Conn c = pooled(key);
        while (true) {
            boolean fresh = c == null;
            if (fresh) {
                c = connect(key, host, port, deadline);
            }
            try {
                c.write(head, body);
                return c.readHead(req, read, deadline);
            } catch (IOException e) {
                c.close();
                if (!fresh && retryable && c.received == 0 && !(e instanceof SocketTimeoutException) && !Thread.currentThread().isInterrupted()) {
                    c = null; // a pooled connection the server had closed: once more, on a new one
                    continue;
                }
                throw e;
            }
        }
    }

    private static boolean idempotent(String method) {
        return switch (method) {
            case "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE" -> true;
            default -> false;
        };
    }

    private byte[] head(Request req, String host, int port) {
        URI uri = req.uri();
        StringBuilder sb = new StringBuilder(128);
        String path = uri.getRawPath();
        sb.append(req.method()).append(' ').append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        sb.append(" HTTP/1.1\r\nHost: ").append(host);
        if (port != 80) {
            sb.append(':').append(port);
        }
        sb.append("\r\n");
        boolean ua = false;
        for (Map.Entry<String, String> h : req.headers()) {
            ua |= h.getKey().equalsIgnoreCase("user-agent");
            sb.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (!ua && userAgent != null) {
            sb.append("User-Agent: ").append(userAgent).append("\r\n");
        }
        byte[] body = req.bodyBytes();
        if (body != null) {
            if (req.contentType() != null) {
                sb.append("Content-Type: ").append(req.contentType()).append("\r\n");
            }
            sb.append("Content-Length: ").append(body.length).append("\r\n");
        } else if (req.method().equals("POST") || req.method().equals("PUT")) {
            sb.append("Content-Length: 0\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    // ------------------------------------------------------------------------------ connections

    private Conn pooled(String key) {
        ConcurrentLinkedDeque<Conn> q = idle.get(key);
        if (q == null) {
            return null;
        }
        long now = System.nanoTime();
        Conn c;
        while ((c = q.pollFirst()) != null) {
            if (now - c.idleSince < keepAliveNanos && !c.socket.isClosed()) {
                c.received = 0;
                return c;
            }
            c.close();
        }
        return null;
    }

    private void pool(Conn c) {
        if (closed) {
            c.close();
            return;
        }
        c.idleSince = System.nanoTime();
        idle.computeIfAbsent(c.key, k -> new ConcurrentLinkedDeque<>()).offerFirst(c);
        if (closed) { // closed while we pooled it: take it out again
            close();
        }
    }

    private Conn connect(String key, String host, int port, long deadline) throws IOException {
        int ms = connectTimeout == null ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        if (deadline != Long.MAX_VALUE) {
            long rem = remainingMillis(deadline);
            ms = ms == 0 ? (int) Math.min(Integer.MAX_VALUE, rem) : (int) Math.min(ms, rem);
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(h, port), ms);
        } catch (SocketTimeoutException e) {
            s.close();
            if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) {
                throw new TotalTimeout("the total timeout passed while connecting");
            }
            ConnectTimeout t = new ConnectTimeout("connect timeout");
            t.initCause(e);
            throw t;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        Conn c = new Conn(this, key, s);
        live.add(c);
        if (closed) {
            c.close();
            throw new java.net.SocketException("the session is closed");
        }
        return c;
    }

    // ------------------------------------------------------------------------------ timeouts

    /** Open connections, for the watchdog to look at. */
    private final java.util.Set<Conn> live = ConcurrentHashMap.newKeySet();
    private volatile Thread watchdog;
    /** When the watchdog will look next ({@link System#nanoTime()}). */
    private volatile long nextLook = Long.MAX_VALUE;
    /** The longest the watchdog sleeps: a read deadline is enforced within this much of its time. */
    private static final long LOOK_EVERY = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100);

    /** A read with deadline {@code d} begins on {@code c}: make sure the watchdog looks by then. */
    void watch(Conn c, long d) {
        Thread w = watchdog;
        if (w == null) {
            synchronized (this) {
                if (watchdog == null && !closed) {
                    watchdog = Thread.ofPlatform().daemon().name("weft-http-read-timeouts").start(this::watchdogLoop);
                }
            }
        } else if (d - nextLook < 0) {
            java.util.concurrent.locks.LockSupport.unpark(w); // a nearer deadline than the one it sleeps towards
        }
    }

    /**
     * The watchdog: closes the socket of each read past its deadline (the blocked read then fails,
     * and {@link Conn#readSocket} reports the timeout), then sleeps until the nearest deadline, at
     * most {@link #LOOK_EVERY}. One thread per transport, started by the first timed read.
     */
    private void watchdogLoop() {
        while (!closed) {
            long now = System.nanoTime();
            long next = now + LOOK_EVERY;
            for (Conn c : live) {
                long d = c.readDeadline;
                if (d == Long.MAX_VALUE) {
                    continue;
                }
                if (d - now <= 0) {
                    c.expired = c.readIsTotal ? 2 : 1;
                    c.close();
                } else if (d - next < 0) {
                    next = d;
                }
            }
            closeIdle(now);
            nextLook = next;
            java.util.concurrent.locks.LockSupport.parkNanos(this, Math.max(100_000, next - System.nanoTime()));
        }
    }

    /** Milliseconds until {@code deadline}, at least 1; a {@link TotalTimeout} if it has passed. */
    static long remainingMillis(long deadline) throws TotalTimeout {
        long rem = deadline - System.nanoTime();
        if (rem <= 0) {
            throw new TotalTimeout("the total timeout passed");
        }
        return Math.max(1, (rem + 999_999) / 1_000_000);
    }

    /** Closes pooled connections idle for longer than the keep-alive (the oldest are at the tail). */
    private void closeIdle(long now) {
        for (ConcurrentLinkedDeque<Conn> q : idle.values()) {
            Conn c;
            while ((c = q.peekLast()) != null && now - c.idleSince >= keepAliveNanos) {
                if (q.removeLastOccurrence(c)) {
                    c.close();
                }
            }
        }
    }

    /** Closes every pooled connection; exchanges in flight end their connections themselves. */
    @Override
    public void close() {
        closed = true;
        Thread w = watchdog;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w);
        }
        for (ConcurrentLinkedDeque<Conn> q : idle.values()) {
            Conn c;
            while ((c = q.pollFirst()) != null) {
                c.close();
            }
        }
    }

    /** Idle pooled connections now (for {@link HttpSession#stats()}). */
    int idleConnections() {
        int n = 0;
        for (ConcurrentLinkedDeque<Conn> q : idle.values()) {
            n += q.size();
        }
        return n;
    }

    /** One connection: the socket, a read buffer, and what the current exchange has read. */
    private static final class Conn {
        final DirectHttp1 owner;
        final String key;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final byte[] buf = new byte[BUFFER];
        int pos;
        int lim;
        long idleSince;
        /** Bytes received in the current exchange (0: nothing yet, the connection may have been stale). */
        long received;
        /** When the read in progress must end ({@link System#nanoTime()}), or {@link Long#MAX_VALUE} when not reading. */
        volatile long readDeadline = Long.MAX_VALUE;
        /** Whether {@link #readDeadline} is the exchange's total deadline (else the read timeout). */
        volatile boolean readIsTotal;
        /** Set by the watchdog before it closes the socket: 1 read timeout, 2 total deadline. */
        volatile int expired;

        Conn(DirectHttp1 owner, String key, Socket socket) throws IOException {
            this.owner = owner;
            this.key = key;
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        void write(byte[] head, byte[] body) throws IOException {
            if (body == null || body.length == 0) {
                out.write(head);
            } else if (head.length + body.length <= BUFFER) {
                byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
                System.arraycopy(body, 0, all, head.length, body.length);
                out.write(all);
            } else {
                out.write(head);
                out.write(body);
            }
        }

        /**
         * Reads from the socket into {@code b}, within the read timeout and the deadline; -1 at the
         * end. The socket has no timeout of its own: on a virtual thread a timed socket read arms a
         * JDK timer per read, which cost as much CPU as the rest of the exchange (ADR 0330). The
         * owner's {@link Watchdog} closes a connection whose read outlives its deadline instead.
         */
        int readSocket(byte[] b, int off, int len, Duration read, long deadline) throws IOException {
            long now = System.nanoTime();
            long readDl = read == null ? Long.MAX_VALUE : now + Math.max(1, read.toNanos());
            if (deadline != Long.MAX_VALUE && deadline - now <= 0) {
                throw new TotalTimeout("the total timeout passed");
            }
            boolean total = deadline - readDl < 0;
            long d = total ? deadline : readDl;
            if (d != Long.MAX_VALUE) {
                readIsTotal = total;
                readDeadline = d;
                owner.watch(this, d);
            }
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    received += n;
                }
                return n;
            } catch (IOException e) {
                int why = expired;
                if (why == 0) {
                    throw e;
                }
                SocketTimeoutException t = why == 2 ? new TotalTimeout("the total timeout passed while reading")
                        : new SocketTimeoutException("read (idle) timeout" + (read == null ? "" : " (" + read + ")"));
                t.initCause(e);
                throw t;
            } finally {
                readDeadline = Long.MAX_VALUE;
            }
        }

        /** Fills the buffer with at least one more byte; false at the end of the stream. */
        boolean fill(Duration read, long deadline) throws IOException {
            if (pos > 0 && pos == lim) {
                pos = 0;
                lim = 0;
            }
            if (lim == buf.length) {
                return true; // full: the caller consumes first
            }
            int n = readSocket(buf, lim, buf.length - lim, read, deadline);
            if (n < 0) {
                return false;
            }
            lim += n;
            return true;
        }

        Exchange readHead(Request req, Duration read, long deadline) throws IOException {
            while (true) {
                Head h = parseHead(req, read, deadline);
                if (h.status >= 100 && h.status < 200 && h.status != 101) {
                    continue; // 100 Continue, 103 Early Hints: the answer is the next head
                }
                return new Exchange(this, req, h, read, deadline);
            }
        }

        /** One status line and its headers; the buffer then starts at the body. */
        private Head parseHead(Request req, Duration read, long deadline) throws IOException {
            if (pos == lim) {
                pos = 0; // an empty buffer starts over (fill would reset it under the indexes below)
                lim = 0;
            }
            int start = pos;
            int scan = pos;
            while (true) {
                int end = headEnd(scan);
                if (end >= 0) {
                    Head h = Head.parse(req, buf, start, end);
                    pos = end;
                    return h;
                }
                scan = Math.max(start, lim - 3);
                if (lim == buf.length) { // move the partial head to the front; a head as large as the buffer is refused
                    if (start > 0) {
                        System.arraycopy(buf, start, buf, 0, lim - start);
                        lim -= start;
                        scan -= start;
                        pos = 0;
                        start = 0;
                    } else {
                        throw invalid(req, "invalid response headers: the response head is larger than " + (BUFFER / 1024) + " KB");
                    }
                }
                if (!fill(read, deadline)) {
                    throw new EOFException("the server closed the connection before the response was complete");
                }
            }
        }

        /** The index just past the blank line ending the head in buf[from, lim), or -1. */
        private int headEnd(int from) {
            for (int i = from; i < lim; i++) {
                if (buf[i] == '\n') {
                    if (i + 1 < lim && buf[i + 1] == '\n') {
                        return i + 2;
                    }
                    if (i + 2 < lim && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
                        return i + 3;
                    }
                }
            }
            return -1;
        }

        void close() {
            owner.live.remove(this);
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    static HttpException invalid(Request req, String message) {
        return new HttpException(req.method(), req.uri(), HttpException.ErrorKind.INVALID_RESPONSE, message, null);
    }

    /** A parsed response head. */
    private record Head(int status, String version, Map<String, List<String>> headers) {
        static Head parse(Request req, byte[] b, int from, int to) {
            int eol = lineEnd(b, from, to);
            String status = new String(b, from, eol - from, StandardCharsets.ISO_8859_1).strip();
            if (!status.startsWith("HTTP/1.")) {
                throw invalid(req, "status line is not HTTP");
            }
            String version = status.length() >= 8 ? status.substring(0, 8) : status;
            int code = -1;
            if (status.length() >= 12 && status.charAt(8) == ' ' && (status.length() == 12 || status.charAt(12) == ' ')) {
                int d0 = status.charAt(9) - '0';
                int d1 = status.charAt(10) - '0';
                int d2 = status.charAt(11) - '0';
                if (d0 >= 0 && d0 <= 9 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) {
                    code = d0 * 100 + d1 * 10 + d2;
                }
            }
            if (code < 0) {
                throw invalid(req, "invalid status line: the status code is not a number from 100 to 599");
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            int i = next(b, eol, to);
            while (i < to) {
                int e = lineEnd(b, i, to);
                if (e == i) {
                    break;
                }
                int colon = -1;
                for (int k = i; k < e; k++) {
                    if (b[k] == ':') {
                        colon = k;
                        break;
                    }
                }
                if (colon <= i || b[i] == ' ' || b[i] == '\t') {
                    throw invalid(req, "invalid response headers: a header line without a name");
                }
                String name = lowerName(req, b, i, colon);
                int vs = colon + 1;
                int ve = e;
                while (vs < ve && (b[vs] == ' ' || b[vs] == '\t')) {
                    vs++;
                }
                while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
                    ve--;
                }
                String value = new String(b, vs, ve - vs, StandardCharsets.ISO_8859_1);
                List<String> had = headers.putIfAbsent(name, List.of(value));
                if (had != null) { // a repeated header: rare, so the common case stays one immutable list
                    List<String> more = new ArrayList<>(had);
                    more.add(value);
                    headers.put(name, List.copyOf(more));
                }
                i = next(b, e, to);
            }
            return new Head(code, version, Collections.unmodifiableMap(headers));
        }

        /**
         * The header names servers send on nearly every response, by length: such a name is returned
         * as this constant, not copied into a new string (two allocations per header line), and the
         * lookups of the same names (Content-Length, Connection...) then match it by identity.
         */
        private static final String[][] COMMON = byLength("date", "server", "content-type", "content-length",
                "last-modified", "connection", "etag", "accept-ranges", "transfer-encoding", "content-encoding",
                "location", "retry-after", "cache-control", "expires", "vary", "keep-alive", "set-cookie", "age");

        private static String[][] byLength(String... names) {
            String[][] t = new String[32][];
            for (String n : names) {
                String[] had = t[n.length()];
                String[] more = had == null ? new String[1] : java.util.Arrays.copyOf(had, had.length + 1);
                more[more.length - 1] = n;
                t[n.length()] = more;
            }
            return t;
        }

        /** The header name in b[from, to), in lower case (ASCII); white space in it is invalid. */
        private static String lowerName(Request req, byte[] b, int from, int to) {
            int len = to - from;
            String[] candidates = len < COMMON.length ? COMMON[len] : null;
            if (candidates != null) {
                for (String c : candidates) {
                    int k = 0;
                    while (k < len) {
                        byte x = b[from + k];
                        if ((x >= 'A' && x <= 'Z' ? x + 32 : x) != c.charAt(k)) {
                            break;
                        }
                        k++;
                    }
                    if (k == len) {
                        return c;
                    }
                }
            }
            byte[] n = new byte[len];
            for (int k = from; k < to; k++) {
                byte x = b[k];
                if (x == ' ' || x == '\t') {
                    throw invalid(req, "invalid response headers: white space in the header name '"
                            + new String(b, from, to - from, StandardCharsets.ISO_8859_1).strip() + "'");
                }
                n[k - from] = x >= 'A' && x <= 'Z' ? (byte) (x + 32) : x;
            }
            return new String(n, StandardCharsets.ISO_8859_1);
        }

        /** The end of the line starting at {@code from} (before its CR LF or LF). */
        private static int lineEnd(byte[] b, int from, int to) {
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    return i > from && b[i - 1] == '\r' ? i - 1 : i;
                }
            }
            return to;
        }

        private static int next(byte[] b, int lineEnd, int to) {
            int i = lineEnd;
            if (i < to && b[i] == '\r') {
                i++;
            }
            return i < to && b[i] == '\n' ? i + 1 : i;
        }
    }

    // ------------------------------------------------------------------------------ responses

    /** A response whose head has been read; its body is read through {@link #body}. */
    static final class Exchange {
        final URI uri;
        final int status;
        final String version;
        final Map<String, List<String>> headers;
        private final Conn conn;
        private final Request req;
        private final Duration read;
        private final long deadline;
        private final boolean keepAlive;
        /** Body bytes left ({@code >= 0}), {@link #CHUNKED}, or {@link #TO_CLOSE}. */
        private long left;
        private boolean ended;
        private boolean released;
        private static final long CHUNKED = -1;
        private static final long TO_CLOSE = -2;
        /** Bytes left in the current chunk; -1 before the first chunk's size line. */
        private long chunkLeft = -1;
        final InputStream body = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                try {
                    return len == 0 ? 0 : readBody(b, off, len);
                } catch (HttpException h) {
                    throw new IOException(h.getMessage(), h); // invalid framing: as the session's other body failures
                }
            }

            @Override
            public int available() {
                return ended || released ? 0 : Math.max(0, conn.lim - conn.pos);
            }
        };

        private Exchange(Conn conn, Request req, Head h, Duration read, long deadline) {
            this.conn = conn;
            this.req = req;
            this.uri = req.uri();
            this.status = h.status;
            this.version = h.version;
            this.headers = h.headers;
            this.read = read;
            this.deadline = deadline;
            String connection = first("connection");
            String how = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
            boolean ka = version.equals("HTTP/1.0") ? how.contains("keep-alive") : !how.contains("close");
            if (req.method().equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
                left = 0;
            } else if (transferChunked()) {
                left = CHUNKED;
            } else if (headers.containsKey("content-length")) {
                left = contentLength();
            } else {
                left = TO_CLOSE;
                ka = false;
            }
            this.keepAlive = ka && status != 101;
            if (left == 0) {
                end();
            }
        }

        private String first(String name) {
            List<String> v = headers.get(name);
            return v == null || v.isEmpty() ? null : v.getFirst();
        }

        private boolean transferChunked() {
            List<String> te = headers.get("transfer-encoding");
            if (te == null) {
                return false;
            }
            String all = String.join(",", te).toLowerCase(Locale.ROOT);
            if (!all.strip().endsWith("chunked")) {
                throw invalid(req, "invalid response body framing: Transfer-Encoding '" + String.join(", ", te)
                        + "' does not end with chunked");
            }
            return true;
        }

        private long contentLength() {
            List<String> cl = headers.get("content-length");
            if (cl.size() == 1) { // the usual case: one value, digits only
                String v = cl.getFirst();
                long n = 0;
                int len = v.length();
                for (int i = 0; i < len && len <= 18; i++) {
                    int d = v.charAt(i) - '0';
                    if (d < 0 || d > 9) {
                        n = -1;
                        break;
                    }
                    n = n * 10 + d;
                }
                if (n >= 0 && len > 0 && len <= 18) {
                    return n;
                }
            }
            long n = -1;
            for (String v : cl) {
                for (String part : v.split(",")) {
                    long k;
                    try {
                        k = Long.parseLong(part.strip());
                    } catch (NumberFormatException e) {
                        k = -1;
                    }
                    if (k < 0 || (n >= 0 && k != n)) {
                        throw invalid(req, "invalid response body framing: Content-Length '" + String.join(", ", cl) + "'");
                    }
                    n = k;
                }
            }
            return n;
        }

        private int readBody(byte[] b, int off, int len) throws IOException {
            if (released) {
                throw new IOException("the response was closed");
            }
            if (ended) {
                return -1;
            }
            if (left == CHUNKED) {
                if (chunkLeft <= 0) {
                    if (chunkLeft == 0) {
                        expectCrlf();
                    }
                    chunkLeft = chunkSize();
                    if (chunkLeft == 0) {
                        trailers();
                        end();
                        return -1;
                    }
                }
                int n = raw(b, off, (int) Math.min(len, chunkLeft));
                if (n < 0) {
                    throw new EOFException("the server closed the connection before the response was complete");
                }
                chunkLeft -= n;
                return n;
            }
            if (left == TO_CLOSE) {
                int n = raw(b, off, len);
                if (n < 0) {
                    end();
                }
                return n;
            }
            int n = raw(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the server closed the connection before the response was complete");
            }
            left -= n;
            if (left == 0) {
                end();
            }
            return n;
        }

        /** Bytes from the buffer, else straight from the socket. */
        private int raw(byte[] b, int off, int len) throws IOException {
            Conn c = conn;
            if (c.pos < c.lim) {
                int n = Math.min(len, c.lim - c.pos);
                System.arraycopy(c.buf, c.pos, b, off, n);
                c.pos += n;
                return n;
            }
            return c.readSocket(b, off, len, read, deadline);
        }

        private String line(String what) throws IOException {
            Conn c = conn;
            StringBuilder sb = new StringBuilder(16);
            while (true) {
                if (c.pos == c.lim && !c.fill(read, deadline)) {
                    throw new EOFException("the server closed the connection before the response was complete");
                }
                byte x = c.buf[c.pos++];
                if (x == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                if (sb.length() > 8192) {
                    throw invalid(req, "invalid response body framing: " + what + " line too long");
                }
                sb.append((char) (x & 0xff));
            }
        }

        private long chunkSize() throws IOException {
            String l = line("chunk size");
            int semi = l.indexOf(';');
            String hex = (semi >= 0 ? l.substring(0, semi) : l).strip();
            try {
                long n = Long.parseUnsignedLong(hex, 16);
                if (n < 0 || hex.isEmpty()) {
                    throw new NumberFormatException(hex);
                }
                return n;
            } catch (NumberFormatException e) {
                throw invalid(req, "invalid response body framing: bad chunk size '" + (hex.length() > 20 ? hex.substring(0, 20) + "..." : hex) + "'");
            }
        }

        private void expectCrlf() throws IOException {
            if (!line("chunk end").isEmpty()) {
                throw invalid(req, "invalid response body framing: a chunk longer than its size");
            }
        }

        private void trailers() throws IOException {
            for (int i = 0; !line("trailer").isEmpty(); i++) {
                if (i > 100) {
                    throw invalid(req, "invalid response body framing: too many trailer lines");
                }
            }
        }

        private void end() {
            ended = true;
        }

        /** Whether the body has been read to its end. */
        boolean complete() {
            return ended;
        }

        /**
         * Ends the exchange: a body read to its end on a keep-alive connection returns the
         * connection to the pool; anything else closes it. Idempotent.
         */
        void release() {
            if (released) {
                return;
            }
            released = true;
            if (ended && keepAlive && conn.pos == conn.lim && !Thread.currentThread().isInterrupted()) {
                conn.owner.pool(conn);
            } else {
                conn.close();
            }
        }

        /** Reads and drops a small body (a redirect's) so the connection can be reused; closes it otherwise. */
        void discard() {
            try {
                if (left >= 0 && left <= BUFFER) {
                    byte[] sink = new byte[BUFFER];
                    while (readBody(sink, 0, sink.length) >= 0) {
                        // dropped
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the connection is closed below: a failed discard costs a new connection, nothing else
            } finally {
                release();
            }
        }
    }
}
