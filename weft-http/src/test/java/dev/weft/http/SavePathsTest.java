package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavePathsTest {
    private static String path(String uri) {
        return String.join("/", SavePaths.segments(URI.create(uri)));
    }

    @Test
    void hostThenPathLikeWgetX() {
        assertEquals("example.com/a/b.html", path("http://Example.COM/a/b.html"));
        assertEquals("example.com/index.html", path("http://example.com"));
        assertEquals("example.com/index.html", path("https://example.com:443/"));
        assertEquals("example.com+8080/d/index.html", path("http://example.com:8080/d/"));
        assertEquals("example.com/a/b", path("http://example.com//a///b"));
    }

    @Test
    void dotSegmentsNeverClimbAboveTheHost() {
        assertEquals("h/etc/passwd", path("http://h/../../etc/passwd"));
        assertEquals("h/a/c", path("http://h/a/b/../c"));
        assertEquals("h/a/index.html", path("http://h/a/b/.."));
        assertEquals("h/%2E%2E/x", path("http://h/%2E%2E/x")); // an encoded ".." is a name, not a step up
        assertEquals("h/%2E", path("http://h/%2e"));
    }

    @Test
    void unsafeCharactersAreEscapedAndTheQueryIsKept() {
        assertEquals("h/a%2Fb", path("http://h/a%2Fb"));
        assertEquals("h/a b", path("http://h/a%20b"));
        assertEquals("h/list@page=2&q=%3Cx%3E", path("http://h/list?page=2&q=%3Cx%3E"));
        assertEquals("h/index.html@q=a%2Fb", path("http://h/?q=a/b"));
        assertEquals("h/%5C%3A%2A%22%7C%01", path("http://h/%5C%3A%2A%22%7C%01"));
        assertEquals("h/é", path("http://h/%C3%A9"));
        assertEquals("[%3A%3A1]+8080/x", path("http://[::1]:8080/x"));
    }

    @Test
    void longNamesAreCutWithAHashAndKeepTheirExtension() {
        String a = "a".repeat(300);
        String b = "a".repeat(299) + "b";
        String na = SavePaths.segments(URI.create("http://h/" + a + ".html")).get(1);
        String nb = SavePaths.segments(URI.create("http://h/" + b + ".html")).get(1);
        assertTrue(SavePaths.utf8Length(na) <= SavePaths.MAX_NAME_BYTES, na);
        assertTrue(na.matches("a+~[0-9a-f]{16}\\.html"), na);
        assertNotEquals(na, nb);
        String multi = SavePaths.segments(URI.create("http://h/" + "%C3%A9".repeat(150))).get(1);
        assertTrue(SavePaths.utf8Length(multi) <= SavePaths.MAX_NAME_BYTES);
        assertTrue(multi.startsWith("é"));
    }

    @Test
    void theAlternativeNameCarriesTheHashBeforeTheExtension() {
        assertEquals("index~0123456789abcdef.html", SavePaths.withHash("index.html", "0123456789abcdef"));
        assertEquals("x~0123456789abcdef", SavePaths.withHash("x", "0123456789abcdef"));
        assertEquals("list@a.b~0123456789abcdef", SavePaths.withHash("list@a.b", "0123456789abcdef")); // no extension from a query
        assertEquals(List.of("h", "a"), SavePaths.segments(URI.create("http://h/a")));
    }
}
