package dev.weft.examples.pitfalls;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/** A {@code synchronized} method around network I/O: every caller queues behind one download. */
public final class SynchronizedIo {
    private byte[] cached;

    // tag::synchronized-io[]
    /** Downloads once and caches; WRONG: the monitor is held across the network call. */
    public synchronized byte[] config(URI source) throws IOException {
        if (cached == null) {
            try (InputStream in = source.toURL().openStream()) {
                cached = in.readAllBytes();
            }
        }
        return cached;
    }
    // end::synchronized-io[]
}
