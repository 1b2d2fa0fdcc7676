package dev.weft.http;

import dev.weft.http.internal.Json;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Lines journal of a {@link BulkFetch} run (ADR 0306): one {@link FetchResult#toJson()}
 * line per finished request, each written whole by one {@code write(2)} in append mode as soon as
 * the result is known (no buffering: a killed process loses at most the results not yet
 * finished). Opened for resume, it first reads what an earlier run wrote: the requests with a
 * line there are done and skipped. A torn last line (a crash mid-write), a duplicate, and, with
 * retry-failed, a failure that is not an input error are dropped by rewriting the file (to a
 * temporary file, then an atomic rename), so the journal keeps one line per request.
 */
final class FetchJournal implements AutoCloseable {
    private final Path path;
    private final FileOutputStream out;
    private final ReentrantLock lock = new ReentrantLock();
    private final LongHashSet done;
    private final LongHashSet saved;
    private final boolean resuming;
    private final long resumed;
    private final long dropped;

    private FetchJournal(Path path, FileOutputStream out, LongHashSet done, LongHashSet saved, boolean resuming,
            long resumed, long dropped) {
        this.path = path;
        this.out = out;
        this.done = done;
        this.saved = saved;
        this.resuming = resuming;
        this.resumed = resumed;
        this.dropped = dropped;
    }

    /**
     * Opens {@code path}: for resume if {@code resume} and it exists, else empty (truncated).
     *
     * @throws IOException if it cannot be read or written
     */
    static FetchJournal open(Path path, boolean resume, boolean retryFailed) throws IOException {
        LongHashSet done = new LongHashSet();
        LongHashSet saved = new LongHashSet();
        long kept = 0;
        long dropped = 0;
        if (resume && Files.isRegularFile(path) && Files.size(path) > 0) {
            boolean endsWithNewline;
            try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
                f.seek(f.length() - 1);
                endsWithNewline = f.read() == '\n';
            }
            Path tmp = path.resolveSibling(path.getFileName() + ".weft-compact");
            try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
                    BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                String next = in.readLine();
                while (next != null) {
                    String text = next;
                    next = in.readLine();
                    boolean torn = next == null && !endsWithNewline;
                    JsonNode n = torn ? null : parse(text);
                    long key = n == null ? 0 : keyOf(n, retryFailed);
                    if (key == 0 || !done.add(key)) {
                        dropped++;
                        continue;
                    }
                    kept++;
                    JsonNode file = n.get("saved");
                    if (file != null && file.isString()) {
                        saved.add(SaveDirectory.pathKey(file.stringValue()));
                    }
                    w.write(text);
                    w.write('\n');
                }
            }
            if (dropped > 0) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.delete(tmp);
            }
            return new FetchJournal(path, new FileOutputStream(path.toFile(), true), done, saved, true, kept, dropped);
        }
        // an empty journal that exists is still the same job's: a run killed before its first line may have
        // published a body already (ADR 0331)
        boolean resuming = resume && Files.isRegularFile(path);
        return new FetchJournal(path, new FileOutputStream(path.toFile(), false), done, saved, resuming, 0, 0);
    }

    /** A journal line as JSON, or null if it is not JSON. */
    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The key of a journal line, or 0 if the line is to be dropped (not a result, or a failure to retry). */
    private static long keyOf(JsonNode n, boolean retryFailed) {
        if (n == null || !n.isObject() || n.get("url") == null || !n.get("url").isString() || n.get("line") == null
                || !n.get("line").canConvertToLong()) {
            return 0;
        }
        JsonNode error = n.get("error");
        if (retryFailed && error != null && error.isString()) {
            try {
                if (!FetchResult.Kind.ofWireName(error.stringValue()).isInvalidInput()) {
                    return 0;
                }
            } catch (IllegalArgumentException e) {
                return 0;
            }
        }
        return key(n.get("line").longValue(), n.get("url").stringValue());
    }

    /** A 64-bit key of (line, url); never 0. */
    static long key(long line, String url) {
        return mix(fnv(url) ^ line * 0x9E3779B97F4A7C15L);
    }

    /** FNV-1a of the UTF-16 units of {@code s}. */
    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A 64-bit finalizer (MurmurHash3's); 0 becomes 1, so a key is never 0. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    /** Whether a result for this request is already in the journal. */
    boolean isDone(FetchRequest r) {
        return done.size() > 0 && done.contains(key(r.line(), r.url()));
    }

    /** Whether this run continues an earlier run's journal (resume was asked for and the file existed, even empty). */
    boolean resuming() {
        return resuming;
    }

    /** The {@link SaveDirectory#pathKey keys} of the files named by the lines kept from earlier runs (read-only). */
    LongHashSet savedFiles() {
        return saved;
    }

    /** Results kept from an earlier run. */
    long resumed() {
        return resumed;
    }

    /** Lines dropped when resuming (torn, duplicate, or failures to retry). */
    long dropped() {
        return dropped;
    }

    Path path() {
        return path;
    }

    /** Appends one result line, whole. */
    void write(FetchResult r) {
        byte[] line = r.toJsonLine().getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the journal " + path + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            out.close();
        } finally {
            lock.unlock();
        }
    }

    /** An open-addressing set of non-zero longs: 16 bytes per key at most, no boxing. Not thread-safe (filled before the run). */
    static final class LongHashSet {
        private long[] table = new long[16];
        private int size;

        boolean add(long key) {
            if (size * 2 >= table.length) {
                grow();
            }
            int mask = table.length - 1;
            for (int i = (int) (key ^ (key >>> 32)) & mask; ; i = (i + 1) & mask) {
                if (table[i] == 0) {
                    table[i] = key;
                    size++;
                    return true;
                }
                if (table[i] == key) {
                    return false;
                }
            }
        }

        boolean contains(long key) {
            int mask = table.length - 1;
            for (int i = (int) (key ^ (key >>> 32)) & mask; ; i = (i + 1) & mask) {
                if (table[i] == 0) {
                    return false;
                }
                if (table[i] == key) {
                    return true;
                }
            }
        }

        int size() {
            return size;
        }

        private void grow() {
            long[] old = table;
            table = new long[old.length * 2];
            size = 0;
            for (long k : old) {
                if (k != 0) {
                    add(k);
                }
            }
        }
    }
}
