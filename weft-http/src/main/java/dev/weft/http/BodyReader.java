package dev.weft.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Reads one response body for {@link BulkFetch}: decodes its {@code Content-Encoding} (gzip,
 * x-gzip, deflate, zlib-wrapped or raw), counts the decoded bytes against {@code maxBody}, and
 * copies them to a {@link BodySink.Body}. Memory per body is one pooled 16 KiB buffer plus the
 * JDK inflater's window, whatever the body's size or compression ratio: a gzip bomb is stopped
 * by the decoded count, never buffered (ADR 0306).
 */
final class BodyReader {
    static final int BUFFER = 16 * 1024;
    private static final ConcurrentLinkedQueue<byte[]> BUFFERS = new ConcurrentLinkedQueue<>();

    private BodyReader() {
    }

    /** A failure of the body itself (too large, undecodable, unsaveable): not retried; the status is known. */
    static final class BodyFailure extends IOException {
        final FetchResult.Kind kind;
        final int status;
        final long bytes;

        BodyFailure(FetchResult.Kind kind, int status, long bytes, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
            this.status = status;
            this.bytes = bytes;
        }
    }

    /** Remembers the last failure of the raw (network) stream, to tell it from a decoding failure. */
    private static final class Tap extends InputStream {
        private final InputStream in;
        IOException failure;

        Tap(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }

    /** The coding to undo, or null for none (identity, absent, or a coding not asked for: kept as received). */
    static String coding(String contentEncoding) {
        if (contentEncoding == null) {
            return null;
        }
        String c = contentEncoding.strip().toLowerCase(Locale.ROOT);
        return switch (c) {
            case "gzip", "x-gzip" -> "gzip";
            case "deflate" -> "deflate";
            default -> null;
        };
    }

    /**
     * Copies the body of a response with {@code status} to {@code out} (null: count only),
     * decoded per {@code contentEncoding} (null: as received), at most {@code maxBody} bytes.
     *
     * @return the decoded bytes copied
     * @throws BodyFailure if the body is larger than {@code maxBody}, cannot be decoded, or cannot be written
     * @throws IOException if the network read failed (as the session reports it)
     */
    static long copy(InputStream raw, String contentEncoding, long maxBody, BodySink.Body out, int status) throws IOException {
        Tap tap = new Tap(raw);
        String coding = coding(contentEncoding);
        byte[] buf = BUFFERS.poll();
        if (buf == null) {
            buf = new byte[BUFFER];
        }
        long n = 0;
        InputStream in = tap;
        Inflater inflater = null;
        try {
            try {
                if ("gzip".equals(coding)) {
                    in = new GZIPInputStream(tap, 8192);
                } else if ("deflate".equals(coding)) {
                    PushbackInputStream p = new PushbackInputStream(tap, 2);
                    int b0 = p.read();
                    int b1 = b0 < 0 ? -1 : p.read();
                    if (b1 >= 0) {
                        p.unread(b1);
                    }
                    if (b0 >= 0) {
                        p.unread(b0);
                    }
                    // RFC 9110 says zlib (RFC 1950); some servers send raw deflate (RFC 1951): tell them apart by the zlib header
                    boolean zlib = b1 >= 0 && (b0 & 0x0f) == 8 && ((b0 << 8) | b1) % 31 == 0;
                    inflater = new Inflater(!zlib);
                    in = new InflaterInputStream(p, inflater, 8192);
                }
                for (int k; (k = in.read(buf, 0, buf.length)) >= 0; ) {
                    if (k == 0) {
                        continue;
                    }
                    if (n + k > maxBody) {
                        throw new BodyFailure(FetchResult.Kind.BODY_TOO_LARGE, status, n,
                                "the body is larger than the limit of " + maxBody + " bytes" + (coding != null ? " (decoded)" : "")
                                        + "; stopped reading, nothing kept", null);
                    }
                    n += k;
                    if (out != null) {
                        try {
                            out.write(buf, 0, k);
                        } catch (IOException e) {
                            throw new BodyFailure(FetchResult.Kind.SAVE_FAILED, status, n, "could not write the body: " + SaveDirectory.describe(e), e);
                        }
                    }
                }
            } catch (BodyFailure e) {
                throw e;
            } catch (IOException e) {
                if (coding == null || tap.failure != null) {
                    throw e; // the network failed, not the decoder
                }
                String why = e instanceof EOFException ? "the compressed data ends early"
                        : e instanceof ZipException z ? z.getMessage() : e.toString();
                throw new BodyFailure(FetchResult.Kind.DECODE_ERROR, status, n,
                        "could not decode the " + coding + " body: " + why, e);
            }
            return n;
        } finally {
            if (inflater != null) {
                inflater.end();
            } else if (in instanceof GZIPInputStream g) {
                try {
                    g.close(); // ends its inflater; the raw stream is closed by its response anyway
                } catch (IOException ignored) {
                    // nothing left to free
                }
            }
            BUFFERS.offer(buf);
        }
    }
}
