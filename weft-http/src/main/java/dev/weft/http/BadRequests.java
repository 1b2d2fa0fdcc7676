package dev.weft.http;

import dev.weft.http.internal.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpPrologue;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.util.Set;

/**
 * Requests that Helidon cannot parse into a request line, answered 400 instead of 500.
 *
 * <h2>Design</h2> Helidon 4.5 parses the method token with {@code Method.create}, which throws
 * {@code IllegalArgumentException} for a token with an illegal character ({@code G@T /}); its
 * connection loop turns any such exception into an INTERNAL_ERROR event: 500 and a WARNING with a
 * stack trace. The direct handler for that event sees no cause, so the connection's own listeners
 * say whether a request line was parsed: the receive listener marks the connection's thread when
 * a prologue was read, the send listener clears the mark when a response status is written. An
 * INTERNAL_ERROR on a thread without the mark happened before any request line of the current
 * exchange was understood: the client sent something that is not HTTP, so it gets 400 (logged
 * once, one line, no stack trace). With the mark set it is a real internal error, left to
 * Helidon's default handling (500). Helidon runs each HTTP/1 connection on one virtual thread,
 * parsing, handling and writing included, so a thread-local mark is the connection's.
 */
final class BadRequests {
    private static final ThreadLocal<boolean[]> REQUEST_LINE_READ = ThreadLocal.withInitial(() -> new boolean[1]);

    /** The standard methods (RFC 9110 section 9, RFC 5789): a route-less request with another method gets 501. */
    static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    private BadRequests() {
    }

    /** Receive side: a request line was parsed on this connection. */
    static final Http1ConnectionListener RECEIVED = new Http1ConnectionListener() {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            REQUEST_LINE_READ.get()[0] = true;
        }
    };

    /** Send side: the exchange is answered; the next request line is not read yet. */
    static final Http1ConnectionListener SENT = new Http1ConnectionListener() {
        @Override
        public void status(ConnectionContext ctx, Status status) {
            REQUEST_LINE_READ.get()[0] = false;
        }
    };

    /** The INTERNAL_ERROR handler: 400 for an unparseable request line, Helidon's default otherwise. */
    static final DirectHandler INTERNAL_ERROR = new DirectHandler() {
        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                ServerResponseHeaders responseHeaders, String message) {
            if (REQUEST_LINE_READ.get()[0]) {
                return DirectHandler.defaultHandler().handle(request, eventType, defaultStatus, responseHeaders, message);
            }
            WebApp.LOG.log(System.Logger.Level.INFO, "answered 400 to a request whose request line is not valid HTTP"
                    + " (for instance an illegal character in the method token)");
            byte[] body = Json.MAPPER.writeValueAsBytes(WebAppErrors.body(400,
                    "malformed request line: the method must be an HTTP token (letters, digits and !#$%&'*+-.^_`|~)"));
            return TransportResponse.builder()
                    .status(Status.BAD_REQUEST_400)
                    .headers(responseHeaders)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .keepAlive(false)
                    .entity(body)
                    .build();
        }

        @Override
        public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                ServerResponseHeaders responseHeaders, Throwable thrown, System.Logger logger) {
            // the routing path (a request was parsed): Helidon's default, cause and logger included
            return DirectHandler.defaultHandler().handle(request, eventType, defaultStatus, responseHeaders, thrown, logger);
        }
    };
}
