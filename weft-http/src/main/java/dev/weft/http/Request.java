package dev.weft.http;

import dev.weft.http.internal.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable HTTP request for {@link HttpSession}. Built with a static factory and refined with
 * {@code with...} copies:
 *
 * {@snippet :
 * Request r = Request.post("http://127.0.0.1:8080/items")
 *         .withJson(Map.of("name", "thread"))
 *         .withHeader("X-Trace", "abc")
 *         .withTimeouts(HttpTimeouts.DEFAULTS.withTotal(Duration.ofSeconds(2)));
 * }
 *
 * <p>The URI is validated at once: it must be absolute, {@code http} or {@code https}, with a host.
 */
public final class Request {
    private final String method;
    private final URI uri;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final String contentType;
    private final HttpTimeouts timeouts;

    private Request(String method, URI uri, List<Map.Entry<String, String>> headers, byte[] body, String contentType,
            HttpTimeouts timeouts) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
        this.contentType = contentType;
        this.timeouts = timeouts;
    }

    /**
     * A request with {@code method} (upper-cased) to {@code uri}.
     *
     * @param method the HTTP method, e.g. {@code "GET"}; upper-cased
     * @param uri an absolute http or https URI with a host
     * @return a request with no header, body or timeouts of its own
     * @throws IllegalArgumentException if the URI is not absolute http(s) with a host, or the method is blank
     */
    public static Request of(String method, URI uri) {
        Objects.requireNonNull(method, "method");
        if (method.isBlank()) {
            throw new IllegalArgumentException("HTTP method must not be blank");
        }
        return new Request(method.toUpperCase(Locale.ROOT), checkUri(uri), List.of(), null, null, null);
    }

    /**
     * A GET. @throws IllegalArgumentException for a malformed or unsupported URI
     *
     * @param uri an absolute http or https URI with a host, as text
     * @return a GET request
     */
    public static Request get(String uri) {
        return of("GET", parse(uri));
    }

    /**
     * A GET.
     *
     * @param uri an absolute http or https URI with a host
     * @return a GET request
     */
    public static Request get(URI uri) {
        return of("GET", uri);
    }

    /**
     * A POST (add a body with {@link #withBody} or {@link #withJson}).
     *
     * @param uri an absolute http or https URI with a host, as text
     * @return a POST request with no body yet
     */
    public static Request post(String uri) {
        return of("POST", parse(uri));
    }

    /**
     * A PUT.
     *
     * @param uri an absolute http or https URI with a host, as text
     * @return a PUT request with no body yet
     */
    public static Request put(String uri) {
        return of("PUT", parse(uri));
    }

    /**
     * A DELETE.
     *
     * @param uri an absolute http or https URI with a host, as text
     * @return a DELETE request
     */
    public static Request delete(String uri) {
        return of("DELETE", parse(uri));
    }

    /**
     * Parses {@code text} as a URI for a request, with the messages {@code weft fetch} reports per
     * input line.
     *
     * @param text the URI as text
     * @return the parsed URI
     * @throws IllegalArgumentException if it is not a URI, not absolute, not http(s), or has no host
     */
    public static URI parse(String text) {
        Objects.requireNonNull(text, "uri");
        URI u;
        try {
            u = new URI(text.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL '" + text + "': " + e.getReason(), e);
        }
        return checkUri(u);
    }

    static URI checkUri(URI u) {
        Objects.requireNonNull(u, "uri");
        String scheme = u.getScheme();
        if (scheme == null) {
            throw new IllegalArgumentException("URL '" + u + "' has no scheme (expected http:// or https://)");
        }
        String s = scheme.toLowerCase(Locale.ROOT);
        if (!s.equals("http") && !s.equals("https")) {
            throw new IllegalArgumentException("unsupported scheme '" + scheme + "' in '" + u + "' (expected http or https)");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new IllegalArgumentException("URL '" + u + "' has no host");
        }
        return u;
    }

    /**
     * A copy with one more header (repeated names are sent repeatedly).
     *
     * @param name the header's name
     * @param value the header's value
     * @return a new request, otherwise the same as this one
     */
    public Request withHeader(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "header value");
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new Request(method, uri, List.copyOf(h), body, contentType, timeouts);
    }

    /**
     * A copy with {@code body} (copied) and its content type.
     *
     * @param body the body bytes; copied
     * @param contentType the body's content type, e.g. {@code "application/octet-stream"}
     * @return a new request, otherwise the same as this one
     */
    public Request withBody(byte[] body, String contentType) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(contentType, "contentType");
        return new Request(method, uri, headers, body.clone(), contentType, timeouts);
    }

    /**
     * A copy with a UTF-8 text body.
     *
     * @param text the body, sent as UTF-8 with content type {@code text/plain; charset=utf-8}
     * @return a new request, otherwise the same as this one
     */
    public Request withText(String text) {
        return new Request(method, uri, headers, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8", timeouts);
    }

    /**
     * A copy with {@code value} serialized as JSON (Jackson) as the body.
     *
     * @param value the object to serialize
     * @return a new request, otherwise the same as this one
     */
    public Request withJson(Object value) {
        return new Request(method, uri, headers, Json.MAPPER.writeValueAsBytes(value), "application/json", timeouts);
    }

    /**
     * A copy with these timeouts instead of the session's.
     *
     * @param timeouts the timeouts for this request
     * @return a new request, otherwise the same as this one
     */
    public Request withTimeouts(HttpTimeouts timeouts) {
        return new Request(method, uri, headers, body, contentType, Objects.requireNonNull(timeouts, "timeouts"));
    }

    /**
     * The method, upper case.
     *
     * @return the method in upper case
     */
    public String method() {
        return method;
    }

    /**
     * The URI.
     *
     * @return the absolute URI
     */
    public URI uri() {
        return uri;
    }

    /**
     * The extra headers, in order.
     *
     * @return an unmodifiable list of the extra headers, in the order added
     */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The body's bytes, or null for none. Not copied: do not modify. */
    byte[] bodyBytes() {
        return body;
    }

    /**
     * The body's content type, or null.
     *
     * @return the content type, or null if there is no body
     */
    public String contentType() {
        return contentType;
    }

    /**
     * This request's own timeouts, or null to use the session's.
     *
     * @return the timeouts, or null
     */
    public HttpTimeouts timeouts() {
        return timeouts;
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
