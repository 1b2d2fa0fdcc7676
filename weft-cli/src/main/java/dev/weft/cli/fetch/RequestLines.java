package dev.weft.cli.fetch;

import dev.weft.http.FetchInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts the request lines of a URL file (the lines {@link FetchInput#isRequestLine} accepts), for
 * the progress display's total, before the run starts. A URL list is ASCII: such a file is counted
 * on its bytes, with no {@code String} per line (50,000 URLs: a few milliseconds, where decoding
 * and stripping every line took 35-50 ms of each start, before the first request). A file with any
 * other byte is counted as before, line by line through the UTF-8 decoder, which also reports a
 * file that is not UTF-8.
 */
public final class RequestLines {
    private RequestLines() {
    }

    /**
     * The number of request lines in {@code file}: lines ended by {@code \n}, {@code \r} or
     * {@code \r\n} (as {@link java.io.BufferedReader#readLine()} reads them) that hold something other
     * than white space and do not start with {@code #} once stripped.
     *
     * @param file a URL file, UTF-8
     * @return how many lines a run will take as requests
     * @throws IOException if the file cannot be read
     * @throws java.io.UncheckedIOException if it is not UTF-8 (as {@link Files#lines(Path)} reports it)
     */
    public static long count(Path file) throws IOException {
        long n = 0;
        boolean inLine = false; // a non-blank character of this line has been seen (and the line decided)
        byte[] buf = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int k; (k = in.read(buf)) > 0; ) {
                for (int i = 0; i < k; i++) {
                    int b = buf[i];
                    if (b < 0) {
                        return decoded(file); // a byte of a multi-byte character: not a plain ASCII list
                    }
                    if (b == '\n' || b == '\r') {
                        inLine = false;
                    } else if (!inLine && !Character.isWhitespace(b)) {
                        inLine = true;
                        if (b != '#') {
                            n++;
                        }
                    }
                }
            }
        }
        return n;
    }

    private static long decoded(Path file) throws IOException {
        try (Stream<String> s = Files.lines(file, StandardCharsets.UTF_8)) {
            return s.filter(FetchInput::isRequestLine).count();
        }
    }
}
