package dev.weft.http;

import dev.weft.http.HttpException.ErrorKind;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.jetty.client.HttpResponseException;

/**
 * Turns a transport failure (Jetty's exceptions and the JDK's beneath them) into an
 * {@link ErrorKind} and a message in plain words. Jetty's messages embed object descriptions
 * ({@code HttpConnectionOverHTTP@7f83...::SocketChannelEndPoint@...}); none of that reaches a
 * message: the classification looks at exception types along the cause chain, and a message is
 * quoted only when it carries no object id.
 */
final class Failures {
    /** An object id as Jetty and {@code Object.toString()} print it: {@code Name@1a2b3c}. */
    private static final Pattern OBJECT_ID = Pattern.compile("[A-Za-z_$][\\w$.]*@[0-9a-fA-F]{3,}");
    /** A fully qualified class name, as JDK exceptions sometimes prefix their cause's message with. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?::\\s*)?");

    /** A kind and its message. */
    record Described(ErrorKind kind, String message) {
    }

    private Failures() {
    }

    /**
     * Classifies {@code failure}.
     *
     * @param failure what the transport threw
     * @param maxRedirects the session's redirect limit, for the message (negative: unknown)
     * @param maxBufferedBody the session's buffered body limit, for the message (negative: unknown)
     */
    static Described describe(Throwable failure, int maxRedirects, int maxBufferedBody) {
        // the most specific signal first: already described, TLS, DNS, refused, invalid response, redirects, size, closed
        HttpException described = find(failure, HttpException.class);
        if (described != null) {
            return new Described(described.errorKind(), described.detail());
        }
        SSLException ssl = find(failure, SSLException.class);
        if (ssl != null) {
            return new Described(ErrorKind.TLS, "TLS handshake failed: " + tlsReason(failure, ssl));
        }
        UnknownHostException dns = find(failure, UnknownHostException.class);
        if (dns != null) {
            String host = dns.getMessage() == null ? "" : dns.getMessage().split(":", 2)[0].strip();
            return new Described(ErrorKind.UNKNOWN_HOST, "could not resolve the host name"
                    + (host.isEmpty() ? "" : " '" + host + "'") + " (DNS lookup failed)");
        }
        if (find(failure, NoRouteToHostException.class) != null) {
            return new Described(ErrorKind.CONNECTION_REFUSED, "no route to the host (network unreachable)");
        }
        if (find(failure, ConnectException.class) != null) {
            return new Described(ErrorKind.CONNECTION_REFUSED, "connection refused (nothing is listening on that port)");
        }
        org.eclipse.jetty.http.HttpException bad = find(failure, org.eclipse.jetty.http.HttpException.class);
        if (bad != null) {
            return new Described(ErrorKind.INVALID_RESPONSE, invalidResponse(bad.getCode(), bad.getReason()));
        }
        for (Throwable t = failure; t != null; t = next(t)) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof HttpResponseException && m.startsWith("Max redirects")) {
                return new Described(ErrorKind.TOO_MANY_REDIRECTS,
                        "too many redirects" + (maxRedirects >= 0 ? " (" + maxRedirects + ")" : "") + ": a redirect loop?");
            }
            if (m.startsWith("Buffering capacity") && m.contains("exceeded")) {
                return new Described(ErrorKind.BODY_TOO_LARGE, "response body larger than maxBufferedBody"
                        + (maxBufferedBody >= 0 ? " (" + maxBufferedBody + " bytes)" : "") + "; use stream()");
            }
        }
        if (find(failure, HttpResponseException.class) != null) {
            return new Described(ErrorKind.INVALID_RESPONSE, "invalid response from the server (not valid HTTP)");
        }
        if (find(failure, EOFException.class) != null || find(failure, ClosedChannelException.class) != null) {
            return new Described(ErrorKind.CONNECTION_CLOSED, "the server closed the connection before the response was complete");
        }
        SocketException se = find(failure, SocketException.class);
        if (se != null) {
            String m = String.valueOf(se.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("reset") || m.contains("broken pipe") || m.contains("closed")) {
                return new Described(ErrorKind.CONNECTION_CLOSED, "the server reset the connection before the response was complete");
            }
            return new Described(ErrorKind.NETWORK, "network error" + quoted(se.getMessage()));
        }
        if (find(failure, java.io.IOException.class) != null) {
            return new Described(ErrorKind.NETWORK, "network error" + quoted(root(failure).getMessage()));
        }
        return new Described(ErrorKind.OTHER, "the exchange failed" + quoted(root(failure).getMessage()));
    }

    /** A message for a response Jetty's parser refused ({@code code} and {@code reason} from its exception). */
    static String invalidResponse(int code, String reason) {
        String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (r.contains("unknown version") || r.contains("bad version")) {
            return "status line is not HTTP";
        }
        if (r.contains("bad status")) {
            return "invalid status line: the status code is not a number from 100 to 599";
        }
        if (r.contains("header") || r.contains("field")) {
            return "invalid response headers" + quoted(reason);
        }
        if (r.contains("chunk") || r.contains("content") || r.contains("length")) {
            return "invalid response body framing" + quoted(reason);
        }
        return "invalid response from the server" + quoted(reason);
    }

    /** The message for a status code outside 100-599 (HTTP has no such status). */
    static String invalidStatus(int status) {
        return "invalid status " + status + " (a status code is a number from 100 to 599)";
    }

    private static String tlsReason(Throwable failure, SSLException ssl) {
        String all = chainText(failure).toLowerCase(Locale.ROOT);
        if (find(failure, CertPathBuilderException.class) != null || find(failure, CertPathValidatorException.class) != null
                || all.contains("pkix") || all.contains("unable to find valid certification path")) {
            return "the server's certificate is not trusted (self-signed, or issued by an authority not in the trust store);"
                    + " only for a server you trust, use the insecure option (--insecure)";
        }
        if (all.contains("subject alternative") || all.contains("no name matching") || all.contains("hostname")) {
            return "the server's certificate does not match the host name";
        }
        if (all.contains("expired") || all.contains("not yet valid")) {
            return "the server's certificate has expired or is not yet valid";
        }
        if (find(failure, CertificateException.class) != null) {
            return "the server's certificate was refused" + quoted(find(failure, CertificateException.class).getMessage());
        }
        if (all.contains("unrecognized ssl message") || all.contains("plaintext")) {
            return "the server did not answer in TLS (is it plain HTTP?)";
        }
        if (all.contains("protocol_version") || all.contains("no appropriate protocol") || all.contains("cipher")) {
            return "no TLS version or cipher in common with the server";
        }
        if (!(ssl instanceof SSLHandshakeException) && all.contains("closed")) {
            return "the server closed the connection during the handshake";
        }
        return "the server's TLS handshake was refused" + quoted(ssl.getMessage());
    }

    /** {@code ": message"} if the message is worth quoting (no object ids, class names removed), else "". */
    static String quoted(String message) {
        if (message == null || message.isBlank() || OBJECT_ID.matcher(message).find()) {
            return "";
        }
        String m = CLASS_NAME.matcher(message).replaceAll("").strip();
        return m.isEmpty() ? "" : ": " + m;
    }

    private static String chainText(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = next(t)) {
            sb.append(t.getMessage()).append(' ');
        }
        return sb.toString();
    }

    private static <X> X find(Throwable failure, Class<X> type) {
        for (Throwable t = failure; t != null; t = next(t)) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable root(Throwable failure) {
        Throwable r = failure;
        while (next(r) != null) {
            r = next(r);
        }
        return r;
    }

    private static Throwable next(Throwable t) {
        Throwable c = t.getCause();
        return c == t ? null : c;
    }
}
