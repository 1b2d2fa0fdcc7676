package dev.weft.cli.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.http.FetchInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequestLinesTest {
    @TempDir
    Path dir;

    /** What the count must agree with: the lines a run reads, filtered as the run filters them. */
    private static long reference(Path f) throws IOException {
        try (Stream<String> s = Files.lines(f, StandardCharsets.UTF_8)) {
            return s.filter(FetchInput::isRequestLine).count();
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void countsWhatTheRunTakesOnHandMadeFiles() throws IOException {
        String[] cases = {
            "", "\n", "http://a/1", "http://a/1\n", "http://a/1\nhttp://a/2\n", "http://a/1\r\nhttp://a/2\r\n",
            "http://a/1\rhttp://a/2\r", "  \t\n# a comment\n   # indented comment\nhttp://a/1\n\n\n",
            "\u000b\n\u001c\u001d\n\f#x\nhttp://a/1", "{\"url\": \"http://a/1\"}\n  {\"url\": \"http://a/2\"}  \r\n",
            "\r\n\r\n\r\r\n\n", "#\n#\nx", "\0\n",
        };
        for (int i = 0; i < cases.length; i++) {
            Path f = file("case" + i, cases[i].getBytes(StandardCharsets.US_ASCII));
            assertEquals(reference(f), RequestLines.count(f), "case " + i + ": " + cases[i].replace("\n", "\\n").replace("\r", "\\r"));
        }
    }

    @Test
    void nonAsciiFilesAreCountedAsTheDecoderReadsThem() throws IOException {
        // U+3000 is white space to String.strip, U+00A0 is not; a BOM is not stripped
        String text = "\u3000\n\u00a0\nhttp://a/caf\u00e9\n\ufeffhttp://a/2\n\u3000# still a comment\n";
        Path f = file("utf8", text.getBytes(StandardCharsets.UTF_8));
        assertEquals(reference(f), RequestLines.count(f));
        assertEquals(3, RequestLines.count(f)); // the NBSP line, the URL, the BOM line
    }

    @Test
    void aFileThatIsNotUtf8IsReportedAsBefore() throws IOException {
        Path f = file("latin1", "http://a/caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThrows(UncheckedIOException.class, () -> RequestLines.count(f));
    }

    @Test
    void agreesWithTheReferenceOnRandomFiles() throws IOException {
        byte[] alphabet = {'h', '#', ' ', '\t', '\r', '\n', 0x0b, 0x0c, 0x1c, 0x1f, '/', ':'};
        Random random = new Random(12);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(200)];
            for (int i = 0; i < b.length; i++) {
                b[i] = alphabet[random.nextInt(alphabet.length)];
            }
            Path f = file("r", b);
            assertEquals(reference(f), RequestLines.count(f), "round " + round);
        }
    }

    @Test
    void aLongFileSpansManyReads() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            sb.append(i % 7 == 0 ? "# comment " + i : "http://example.test/" + i).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path f = file("long", sb.toString().getBytes(StandardCharsets.US_ASCII));
        assertEquals(reference(f), RequestLines.count(f));
    }
}
