/**
 * Weft http: {@code HttpSession} (client, on the Jetty 12 HttpClient), {@code BulkFetch} (the
 * bulk-fetch engine of {@code weft fetch}, over HttpSession) and {@code WebApp} (server, on the
 * Helidon SE 4 WebServer), with Weft's limits, deadlines and cancellation. Jetty, Helidon and
 * Jackson stay implementation details: no type of theirs appears in the exported API.
 */
module dev.weft.http {
    requires transitive dev.weft.core; // Outcome and Deadline appear in the API
    requires transitive dev.weft.resilience; // Policy and RetryAfter appear in the API (RequestPolicies, Response)
    requires org.eclipse.jetty.client;
    requires org.eclipse.jetty.http2.client.transport; // HTTP/2 where the server offers it (ALPN)
    requires org.eclipse.jetty.alpn.java.client; // the JDK's ALPN for Jetty (a service provider: resolved only if required)
    requires io.helidon.webserver;
    requires tools.jackson.databind;
    requires java.logging; // QuietLogging: Helidon logs through java.util.logging

    exports dev.weft.http;
}
