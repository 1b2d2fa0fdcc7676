package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.http.internal.Json;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The journal's hand-written JSON strings read back, through Jackson, as the text that was written. */
class JsonTextTest {

    private static String roundTrip(String s) {
        StringBuilder b = new StringBuilder();
        JsonText.string(b, s);
        return Json.MAPPER.readTree(b.toString()).asString();
    }

    @Test
    void stringsNeedingEscapesAnywhereReadBackUnchanged() {
        for (String s : new String[] {"", "http://a/b?c=d", "\"", "\\", "a\"b", "tail\\", "\nlead", "mid\u0001dle",
                "tab\tand\rcr", "é → 漢字 😀", "plain then \" quote", "\u001f\u0020\u007f"}) {
            assertEquals(s, roundTrip(s), () -> "round trip of " + s);
        }
    }

    @Test
    void randomStringsReadBackUnchanged() {
        SplittableRandom random = new SplittableRandom(42);
        char[] alphabet = "ab/:?=&%\"\\\n\t\r\u0000\u0007\u001f é漢".toCharArray();
        for (int round = 0; round < 2_000; round++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                s.append(alphabet[random.nextInt(alphabet.length)]);
            }
            assertEquals(s.toString(), roundTrip(s.toString()));
        }
    }

    @Test
    void nullIsTheJsonNull() {
        StringBuilder b = new StringBuilder();
        JsonText.string(b, null);
        assertEquals("null", b.toString());
    }
}
