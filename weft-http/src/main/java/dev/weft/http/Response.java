package dev.weft.http;

import dev.weft.http.internal.Json;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A complete (buffered) HTTP response: status, headers and body. Any status is a response, not an
 * exception (as in aiohttp); call {@link #raiseForStatus()} to turn 4xx/5xx into one.
 *
 * @param method the request's method
 * @param uri the URI that answered (after redirects)
 * @param status the status code
 * @param headers header names in lower case to their values in order
 * @param body the body's bytes (do not modify)
 * @param elapsed from the call to the last body byte (including the permit wait)
 * @param attempts how many attempts the request's {@link RequestPolicy} made (1 without retries)
 * @param version the protocol version of the exchange: {@code "HTTP/1.1"}, {@code "HTTP/2"} (negotiated
 *     by ALPN over HTTPS), {@code "HTTP/1.0"}
 */
public record Response(String method, URI uri, int status, Map<String, List<String>> headers, byte[] body,
        Duration elapsed, int attempts, String version) implements dev.weft.resilience.RetryAfter {

    /**
     * A response over HTTP/1.1 (the constructor before {@link #version()} existed).
     *
     * @param method the request's method
     * @param uri the URI that answered
     * @param status the status code
     * @param headers header names in lower case to their values
     * @param body the body's bytes
     * @param elapsed from the call to the last body byte
     * @param attempts how many attempts were made
     */
    public Response(String method, URI uri, int status, Map<String, List<String>> headers, byte[] body,
            Duration elapsed, int attempts) {
        this(method, uri, status, headers, body, elapsed, attempts, "HTTP/1.1");
    }

    /**
     * The server's {@code Retry-After} (seconds or an HTTP date, never negative); empty if absent or
     * malformed. A weft-resilience {@code Retry} waits this instead of its back-off.
     */
    @Override
    public Optional<Duration> retryAfter() {
        return RequestPolicies.parseRetryAfter(header("retry-after").orElse(null));
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
     * Whether the status is 2xx.
     *
     * @return {@code true} for a status from 200 to 299
     */
    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    /**
     * The body decoded with the content type's charset (UTF-8 when none is given).
     *
     * @return the body as text
     */
    public String text() {
        return new String(body, charset(header("content-type").orElse(null)));
    }

    /**
     * The body parsed as JSON into {@code type}. @throws RuntimeException (Jackson's) if it is not valid JSON for the type
     *
     * @param <T> the target type
     * @param type the class to parse into
     * @return the parsed body
     */
    public <T> T json(Class<T> type) {
        return Json.MAPPER.readValue(body, type);
    }

    /**
     * The body parsed as JSON into a generic type, e.g. {@code List<Item>} from a {@code ParameterizedType}.
     *
     * @param <T> the target type
     * @param type the generic type to parse into
     * @return the parsed body
     */
    public <T> T json(java.lang.reflect.Type type) {
        return Json.MAPPER.readValue(body, Json.MAPPER.constructType(type));
    }

    /**
     * Returns this response if its status is below 400; otherwise throws {@link HttpStatusException}.
     *
     * @return this response
     * @throws HttpStatusException if the status is 400 or above
     */
    public Response raiseForStatus() {
        if (status >= 400) {
            throw new HttpStatusException(method, uri, status);
        }
        return this;
    }

    static Charset charset(String contentType) {
        if (contentType != null) {
            int i = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (i >= 0) {
                String cs = contentType.substring(i + 8).split("[;, ]")[0].replace("\"", "");
                try {
                    return Charset.forName(cs);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    @Override
    public String toString() {
        return "Response[" + method + " " + uri + " -> " + status + ", " + version + ", " + body.length + " bytes, " + elapsed + "]";
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
