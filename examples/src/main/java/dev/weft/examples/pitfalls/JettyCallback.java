package dev.weft.examples.pitfalls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.client.HttpClient;

/** Blocking in a Jetty client completion listener: it runs on one of Jetty's few I/O threads. */
public final class JettyCallback {
    private JettyCallback() {
    }

    // tag::jetty-callback[]
    /** WRONG: the listener runs on Jetty's selector/I/O thread and blocks it with a download. */
    public static CompletableFuture<Integer> statusThenAudit(HttpClient client, URI uri, URI audit) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        client.newRequest(uri).send(result -> {
            try (InputStream in = audit.toURL().openStream()) { // blocks an I/O thread
                in.readAllBytes();
                done.complete(result.getResponse().getStatus());
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
    // end::jetty-callback[]
}
