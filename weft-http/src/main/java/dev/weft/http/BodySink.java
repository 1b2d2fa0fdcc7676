package dev.weft.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a {@link BulkFetch} run puts response bodies. The engine opens one {@link Body} per
 * attempt whose body is to be kept (a 2xx response), writes the decoded bytes to it as they
 * arrive, then either {@linkplain Body#commit() commits} it (the whole body arrived within every
 * limit) or {@linkplain Body#close() closes} it uncommitted (a failure, a body past
 * {@code maxBody}, a cancellation), which must discard what was written. A sink is called from
 * many fetching threads at once and must be thread-safe; one {@code Body} is used by one thread.
 *
 * {@snippet :
 * BodySink none = BodySink.discard();                   // read and count, keep nothing
 * BodySink files = BodySink.saveTo(Path.of("pages"));   // wget -x layout, atomic publish (ADR 0305)
 * }
 */
public interface BodySink {

    /** One body being received. */
    interface Body extends AutoCloseable {
        /**
         * Appends bytes.
         *
         * @param b the buffer
         * @param off where the bytes start
         * @param len how many
         * @throws IOException if they cannot be stored
         */
        void write(byte[] b, int off, int len) throws IOException;

        /**
         * The body is complete: make it visible under its final name.
         *
         * @return where it went (for {@link FetchResult#saved()}), or null
         * @throws IOException if it cannot be published (then nothing carries the final name)
         */
        String commit() throws IOException;

        /** Discards the body unless it was committed. Idempotent; never throws. */
        @Override
        void close();
    }

    /**
     * Opens the body of one response.
     *
     * @param request the request it answers
     * @param status the response's status
     * @param headers the response's headers, names in lower case
     * @return where to write it
     * @throws IOException if it cannot be stored
     */
    Body open(FetchRequest request, int status, Map<String, List<String>> headers) throws IOException;

    /**
     * Called once when a run starts, before any {@link #open}: prepare (create directories, clean
     * what a killed run left). The default does nothing.
     *
     * @throws IOException if the sink cannot be used
     */
    default void start() throws IOException {
    }

    /** Called once when a run ends (also after a failure or cancellation). The default does nothing. */
    default void finish() {
    }

    /**
     * Whether bodies are kept at all; the engine skips opening bodies for a sink that keeps none.
     *
     * @return false only for {@link #discard()}
     */
    default boolean keepsBodies() {
        return true;
    }

    /**
     * Keeps nothing: bodies are read (and counted, and bounded by {@code maxBody}) but not stored.
     *
     * @return the sink
     */
    static BodySink discard() {
        return SaveDirectory.DISCARD;
    }

    /**
     * Saves each body in a file under {@code dir}, its path derived from the URL like
     * {@code wget -x} ({@code host/path}, {@code index.html} for a directory URL, the query kept
     * in the name), safe against {@code ..}, absolute paths, illegal and overlong names, and
     * collisions; each file is written under a temporary name and published whole, so no partial
     * file ever carries a final name. ADR 0305 gives the exact rules.
     *
     * @param dir the directory (created if missing)
     * @return the sink
     */
    static BodySink saveTo(Path dir) {
        return new SaveDirectory(dir);
    }
}
