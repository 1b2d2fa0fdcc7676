package dev.weft.http;

import dev.weft.http.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable response from a {@link WebHandler}: a status, headers and a body that is either
 * bytes (text, JSON) or a {@link BodyWriter} streaming the body to the client as it is produced.
 *
 * {@snippet :
 * WebResponse.text("hello");
 * WebResponse.json(201, Map.of("id", 7));
 * WebResponse.stream("application/octet-stream", -1, out -> copy(file, out));
 * WebResponse.status(204);
 * }
 */
public final class WebResponse {
    /** Writes a streamed body. Runs after the handler returned, outside the request deadline. */
    @FunctionalInterface
    public interface BodyWriter {
        /**
         * Writes the body.
         * @param out the response stream; writes block while the client is slow
         * @throws IOException if writing fails (the client went away): the response is cut short
         */
        void write(OutputStream out) throws IOException;
    }

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final String contentType;
    private final byte[] body;
    private final BodyWriter writer;
    private final long length;

    private WebResponse(int status, List<Map.Entry<String, String>> headers, String contentType, byte[] body,
            BodyWriter writer, long length) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599, got " + status);
        }
        this.status = status;
        this.headers = headers;
        this.contentType = contentType;
        this.body = body;
        this.writer = writer;
        this.length = length;
    }

    /**
     * 200 with a UTF-8 text body.
     *
     * @param text the body
     * @return the response
     */
    public static WebResponse text(String text) {
        return text(200, text);
    }

    /**
     * {@code status} with a UTF-8 text body.
     *
     * @param status the status code
     * @param text the body
     * @return the response
     */
    public static WebResponse text(int status, String text) {
        return new WebResponse(status, List.of(), "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), null, -1);
    }

    /**
     * 200 with {@code value} serialized as JSON (Jackson).
     *
     * @param value the object to serialize
     * @return the response
     */
    public static WebResponse json(Object value) {
        return json(200, value);
    }

    /**
     * {@code status} with {@code value} serialized as JSON (Jackson).
     *
     * @param status the status code
     * @param value the object to serialize
     * @return the response
     */
    public static WebResponse json(int status, Object value) {
        return new WebResponse(status, List.of(), "application/json", Json.MAPPER.writeValueAsBytes(value), null, -1);
    }

    /**
     * 200 with raw bytes (not copied: do not modify them afterwards).
     *
     * @param body the body bytes
     * @param contentType the body's content type
     * @return the response
     */
    public static WebResponse bytes(byte[] body, String contentType) {
        return new WebResponse(200, List.of(), Objects.requireNonNull(contentType, "contentType"),
                Objects.requireNonNull(body, "body"), null, -1);
    }

    /**
     * {@code status} with no body.
     *
     * @param status the status code
     * @return the response
     */
    public static WebResponse status(int status) {
        return new WebResponse(status, List.of(), null, EMPTY, null, -1);
    }

    /**
     * 200 with a body written by {@code writer} as the client reads it (backpressure: writes block
     * while the client is slow). {@code length} is the exact length, or -1 for chunked encoding.
     *
     * @param contentType the body's content type
     * @param length the body's exact length, or -1 for chunked encoding
     * @param writer writes the body
     * @return the response
     */
    public static WebResponse stream(String contentType, long length, BodyWriter writer) {
        return new WebResponse(200, List.of(), Objects.requireNonNull(contentType, "contentType"), null,
                Objects.requireNonNull(writer, "writer"), length);
    }

    /**
     * A copy with another status.
     *
     * @param status the new status code
     * @return a new response, otherwise the same as this one
     */
    public WebResponse withStatus(int status) {
        return new WebResponse(status, headers, contentType, body, writer, length);
    }

    /**
     * A copy with one more header.
     *
     * @param name the header's name
     * @param value the header's value
     * @return a new response, otherwise the same as this one
     */
    public WebResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new WebResponse(status, List.copyOf(h), contentType, body, writer, length);
    }

    /**
     * The status.
     *
     * @return the status code
     */
    public int status() {
        return status;
    }

    /**
     * Extra headers in order.
     *
     * @return an unmodifiable list of the extra headers, in the order added
     */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /**
     * The content type, or null for none.
     *
     * @return the content type, or null
     */
    public String contentType() {
        return contentType;
    }

    /** The body bytes, or null when the body is streamed. */
    byte[] body() {
        return body;
    }

    BodyWriter writer() {
        return writer;
    }

    long length() {
        return length;
    }

    @Override
    public String toString() {
        return "WebResponse[" + status + (contentType == null ? "" : ", " + contentType) + "]";
    }
}
