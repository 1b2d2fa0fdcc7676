/**
 * Weft http: {@code HttpSession} (client, on the Jetty 12 HttpClient) and {@code WebApp} (server,
 * on the Helidon SE 4 WebServer), with Weft's limits, deadlines and cancellation. Jetty, Helidon and
 * Jackson stay implementation details: no type of theirs appears in the exported API.
 */
module dev.weft.http {
    requires transitive dev.weft.core; // Outcome and Deadline appear in the API
    requires transitive dev.weft.resilience; // Policy and RetryAfter appear in the API (RequestPolicies, Response)
    requires org.eclipse.jetty.client;
    requires io.helidon.webserver;
    requires tools.jackson.databind;
    requires java.logging; // QuietLogging: Helidon logs through java.util.logging

    exports dev.weft.http;
}
