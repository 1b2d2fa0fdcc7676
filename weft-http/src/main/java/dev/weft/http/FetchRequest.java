package dev.weft.http;

import dev.weft.http.internal.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One item of a {@link BulkFetch} run's input: a {@link Request} with its position in the input,
 * or an input line that could not be made into one (then the engine answers it with an
 * {@link FetchResult.Kind#INVALID_URL} or {@link FetchResult.Kind#INVALID_REQUEST} result without
 * sending anything, and the run goes on).
 *
 * {@snippet :
 * FetchRequest a = FetchRequest.of("https://example.com/a");           // a GET
 * FetchRequest b = FetchRequest.of(Request.post("https://example.com/b").withText("hi"));
 * FetchRequest c = FetchRequest.parseLine(7,
 *         "{\"url\": \"https://example.com/c\", \"method\": \"PUT\", \"headers\": {\"X-A\": \"1\"}, \"body\": \"x\"}");
 * }
 *
 * <h2>Input lines</h2> {@link #parseLine} accepts a URL, or a JSON object with the fields
 * {@code url} (required, a string), {@code method} (a token such as {@code GET}, {@code POST};
 * default GET), {@code headers} (an object of string values) and {@code body} (a string, sent as
 * UTF-8 text, or any other JSON value, sent as JSON). A {@code Content-Type} header sets the
 * body's content type (default {@code text/plain; charset=utf-8} for a string and
 * {@code application/json} otherwise). Any other field is an error, so a misspelt field is
 * reported rather than ignored.
 *
 * <h2>Identity</h2> A request's {@link #line()} and {@link #url()} identify it in the journal:
 * a resumed run skips a request whose line and URL already have a result (ADR 0306). Requests
 * made with {@link #of} have line 0 until the engine numbers them in the order it takes them
 * (1, 2, 3, ...).
 */
public final class FetchRequest {
    private final long line;
    private final String url;
    private final Request request;
    private final FetchResult.Kind invalidKind;
    private final String invalidMessage;

    private FetchRequest(long line, String url, Request request, FetchResult.Kind invalidKind, String invalidMessage) {
        this.line = line;
        this.url = url;
        this.request = request;
        this.invalidKind = invalidKind;
        this.invalidMessage = invalidMessage;
    }

    /**
     * A GET of {@code url}.
     *
     * @param url an absolute http or https URL
     * @return the request, numbered by the engine
     * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL with a host
     */
    public static FetchRequest of(String url) {
        return new FetchRequest(0, url.strip(), Request.get(url), null, null);
    }

    /**
     * Any {@link Request} (method, headers, body, timeouts).
     *
     * @param request the request
     * @return the request, numbered by the engine
     */
    public static FetchRequest of(Request request) {
        Objects.requireNonNull(request, "request");
        return new FetchRequest(0, request.uri().toString(), request, null, null);
    }

    /**
     * Parses one input line: a URL, or a JSON object (see the class comment). Never throws for a
     * bad line: the result is then an invalid request whose {@link #invalidMessage()} says what is
     * wrong, and the engine reports it as that line's result.
     *
     * @param line the 1-based line number (positive)
     * @param text the line, not blank and not a comment (callers skip those)
     * @return the request, valid or not
     * @throws IllegalArgumentException if {@code line} is not positive
     */
    public static FetchRequest parseLine(long line, String text) {
        if (line < 1) {
            throw new IllegalArgumentException("line must be >= 1, got " + line);
        }
        String t = text.strip();
        if (!t.startsWith("{")) {
            try {
                return new FetchRequest(line, t, Request.get(Request.parse(t)), null, null);
            } catch (IllegalArgumentException e) {
                return invalid(line, t, FetchResult.Kind.INVALID_URL, e.getMessage());
            }
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(t);
        } catch (JacksonException e) {
            return invalid(line, t, FetchResult.Kind.INVALID_REQUEST, "not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return invalid(line, t, FetchResult.Kind.INVALID_REQUEST, "a line starting with '{' must be one JSON object");
        }
        JsonNode urlNode = node.get("url");
        if (urlNode == null || !urlNode.isString()) {
            return invalid(line, t, FetchResult.Kind.INVALID_REQUEST, "the JSON request has no \"url\" string");
        }
        String url = urlNode.stringValue().strip();
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!f.getKey().equals("url") && !f.getKey().equals("method") && !f.getKey().equals("headers") && !f.getKey().equals("body")) {
                return invalid(line, url, FetchResult.Kind.INVALID_REQUEST,
                        "unknown field \"" + f.getKey() + "\" (expected url, method, headers, body)");
            }
        }
        URI uri;
        try {
            uri = Request.parse(url);
        } catch (IllegalArgumentException e) {
            return invalid(line, url, FetchResult.Kind.INVALID_URL, e.getMessage());
        }
        String method = "GET";
        JsonNode m = node.get("method");
        if (m != null && !m.isNull()) {
            if (!m.isString() || !isToken(m.stringValue())) {
                return invalid(line, url, FetchResult.Kind.INVALID_REQUEST,
                        "\"method\" must be an HTTP method such as \"GET\" or \"POST\", got " + m);
            }
            method = m.stringValue().toUpperCase(Locale.ROOT);
        }
        Request r = Request.of(method, uri);
        String contentType = null;
        JsonNode h = node.get("headers");
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                return invalid(line, url, FetchResult.Kind.INVALID_REQUEST, "\"headers\" must be an object of strings, got " + h);
            }
            for (Map.Entry<String, JsonNode> e : h.properties()) {
                String problem = headerProblem(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : null);
                if (problem != null) {
                    return invalid(line, url, FetchResult.Kind.INVALID_REQUEST, "header \"" + e.getKey() + "\": " + problem);
                }
                if (e.getKey().equalsIgnoreCase("Content-Type")) {
                    contentType = e.getValue().stringValue();
                } else {
                    r = r.withHeader(e.getKey(), e.getValue().stringValue());
                }
            }
        }
        JsonNode body = node.get("body");
        if (body != null && !body.isNull()) {
            if (body.isString()) {
                r = r.withBody(body.stringValue().getBytes(StandardCharsets.UTF_8),
                        contentType != null ? contentType : "text/plain; charset=utf-8");
            } else {
                r = r.withBody(Json.MAPPER.writeValueAsBytes(body), contentType != null ? contentType : "application/json");
            }
        } else if (contentType != null) {
            r = r.withHeader("Content-Type", contentType);
        }
        return new FetchRequest(line, url, r, null, null);
    }

    /**
     * What is wrong with a header, or null if nothing: the name must be an HTTP token and the
     * value a string without line breaks.
     *
     * @param name the header name
     * @param value the value, or null if it was not a string
     * @return the problem in words, or null
     */
    static String headerProblem(String name, String value) {
        if (!isToken(name)) {
            return "the name must be a token (letters, digits and !#$%&'*+-.^_`|~), got '" + name + "'";
        }
        if (value == null) {
            return "the value must be a string";
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            return "the value must not contain a line break";
        }
        return null;
    }

    static boolean isToken(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static FetchRequest invalid(long line, String text, FetchResult.Kind kind, String message) {
        return new FetchRequest(line, text, null, kind, message);
    }

    /** A copy numbered {@code line}; for the engine. */
    FetchRequest withLine(long newLine) {
        return new FetchRequest(newLine, url, request, invalidKind, invalidMessage);
    }

    /**
     * The 1-based position in the input (a line number for {@link #parseLine}), or 0 until the
     * engine numbers a request made with {@link #of}.
     *
     * @return the position
     */
    public long line() {
        return line;
    }

    /**
     * The URL as given (for an invalid line, the line's text).
     *
     * @return the URL
     */
    public String url() {
        return url;
    }

    /**
     * The request to send, or null if the input was invalid.
     *
     * @return the request or null
     */
    public Request request() {
        return request;
    }

    /**
     * Whether the input could not be made into a request.
     *
     * @return true if invalid
     */
    public boolean isInvalid() {
        return request == null;
    }

    /**
     * Why the input is invalid, or null.
     *
     * @return the message
     */
    public String invalidMessage() {
        return invalidMessage;
    }

    /** The kind of an invalid request's result, or null. */
    FetchResult.Kind invalidKind() {
        return invalidKind;
    }

    /** The method, GET for an invalid line. */
    String method() {
        return request == null ? "GET" : request.method();
    }

    @Override
    public String toString() {
        return "FetchRequest[line " + line + ": " + (request != null ? request : "invalid: " + invalidMessage) + "]";
    }
}
