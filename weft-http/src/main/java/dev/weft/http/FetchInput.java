package dev.weft.http;

import java.io.BufferedReader;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Input for {@link BulkFetch}: text lines made into {@link FetchRequest}s, lazily, one at a time
 * (a file of any size is never read whole). Blank lines and lines starting with {@code #} are
 * skipped but counted, so {@link FetchRequest#line()} is the line number an editor shows. Each
 * other line is parsed by {@link FetchRequest#parseLine}: a bad line becomes an invalid request
 * (reported as that line's result), never an exception.
 */
public final class FetchInput {
    private FetchInput() {
    }

    /**
     * The requests of {@code lines}, numbered from 1.
     *
     * @param lines the lines, read as the engine asks for requests
     * @return the requests
     */
    public static Iterator<FetchRequest> lines(Iterator<String> lines) {
        Objects.requireNonNull(lines, "lines");
        return new Iterator<>() {
            private long number;
            private FetchRequest next;

            @Override
            public boolean hasNext() {
                while (next == null && lines.hasNext()) {
                    String text = lines.next();
                    number++;
                    String t = text.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        next = FetchRequest.parseLine(number, t);
                    }
                }
                return next != null;
            }

            @Override
            public FetchRequest next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more input lines");
                }
                FetchRequest r = next;
                next = null;
                return r;
            }
        };
    }

    /**
     * The requests of the lines of {@code reader}, numbered from 1. The caller closes the reader.
     * A read error surfaces as {@link java.io.UncheckedIOException} from the iterator.
     *
     * @param reader the text
     * @return the requests
     */
    public static Iterator<FetchRequest> lines(BufferedReader reader) {
        return lines(reader.lines().iterator());
    }

    /**
     * Whether {@code text} is a line {@link #lines} makes a request of (not blank, not a comment).
     *
     * @param text a line
     * @return true if it is a request line
     */
    public static boolean isRequestLine(String text) {
        String t = text.strip();
        return !t.isEmpty() && !t.startsWith("#");
    }
}
