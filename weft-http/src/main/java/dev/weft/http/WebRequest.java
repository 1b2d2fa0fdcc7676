package dev.weft.http;

import dev.weft.http.internal.Json;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The request a {@link WebHandler} sees: method, path and its parameters, query, headers, and the
 * body (bounded by the app's {@link WebApp.Builder#maxBodySize}). Not thread-safe: it belongs to
 * the request's own thread.
 */
public final class WebRequest {
    private final ServerRequest request;
    private final long maxBody;
    private byte[] body;

    WebRequest(ServerRequest request, long maxBody) {
        this.request = request;
        this.maxBody = maxBody;
    }

    /**
     * The method, e.g. {@code GET}.
     *
     * @return the method in upper case
     */
    public String method() {
        return request.prologue().method().text();
    }

    /**
     * The decoded path, e.g. {@code /items/7}.
     *
     * @return the decoded path
     */
    public String path() {
        return request.path().path();
    }

    /**
     * The value of a path parameter declared as {@code {name}} in the route.
     *
     * @param name the parameter's name, without braces
     * @return the decoded value
     * @throws IllegalArgumentException if the route declares no such parameter
     */
    public String pathParam(String name) {
        try {
            return request.path().pathParameters().get(name);
        } catch (NoSuchElementException e) {
            throw new IllegalArgumentException("the route " + request.matchingPattern().orElse(path())
                    + " has no path parameter '" + name + "'", e);
        }
    }

    /**
     * The first value of query parameter {@code name}.
     *
     * @param name the parameter's name
     * @return the first value, or empty if absent
     */
    public Optional<String> query(String name) {
        return request.query().first(name).asOptional();
    }

    /**
     * Query parameter {@code name} as an int, {@code fallback} when absent.
     *
     * @param name the parameter's name
     * @param fallback the value when the parameter is absent
     * @return the parameter's value, or {@code fallback}
     * @throws WebException 400 if present but not an integer
     */
    public int queryInt(String name, int fallback) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new WebException(400, "query parameter '" + name + "' must be an integer, got '" + v.get() + "'");
        }
    }

    /**
     * The first value of header {@code name} (case-insensitive).
     *
     * @param name the header's name, in any case
     * @return the first value, or empty if absent
     */
    public Optional<String> header(String name) {
        return request.headers().first(HeaderNames.create(name));
    }

    /**
     * The peer's address, e.g. {@code /127.0.0.1:53412}.
     *
     * @return the peer's address
     */
    public String remoteAddress() {
        return String.valueOf(request.remotePeer().address());
    }

    /**
     * The whole body (read once, then cached).
     *
     * @return the body bytes (the cached array: do not modify it)
     * @throws WebException 413 if it is larger than the app's maximum body size
     */
    public byte[] body() {
        if (body == null) {
            if (!request.content().hasEntity()) {
                body = new byte[0];
            } else {
                try (InputStream in = request.content().inputStream()) {
                    byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBody + 1));
                    if (b.length > maxBody) {
                        throw new WebException(413, "request body larger than " + maxBody + " bytes");
                    }
                    body = b;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading the request body failed", e);
                } catch (IllegalStateException | io.helidon.http.RequestException e) {
                    throw new WebException(413, "request body rejected: " + e.getMessage());
                }
            }
        }
        return body;
    }

    /**
     * The body as UTF-8 text.
     *
     * @return the body as text
     */
    public String text() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /**
     * The body parsed as JSON into {@code type}.
     *
     * @param <T> the target type
     * @param type the class to parse into
     * @return the parsed body
     * @throws WebException 400 if it is not valid JSON for {@code type}
     */
    public <T> T json(Class<T> type) {
        try {
            return Json.MAPPER.readValue(body(), type);
        } catch (JacksonException e) {
            throw new WebException(400, "malformed JSON body: " + e.getOriginalMessage());
        }
    }

    /**
     * The body as a stream, for large uploads (Helidon enforces the maximum size while reading).
     *
     * @return the body stream
     */
    public InputStream bodyStream() {
        return request.content().inputStream();
    }

    @Override
    public String toString() {
        return method() + " " + path();
    }
}
