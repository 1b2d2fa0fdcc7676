package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The file layout of {@link BodySink#saveTo} (ADR 0305): a URL to a relative path like
 * {@code wget -x --restrict-file-names=windows}, whatever the URL contains.
 *
 * <ul>
 *   <li>The first segment is the host in lower case, plus {@code +PORT} for a port that is not the
 *       scheme's default ({@code 127.0.0.1+8080}).</li>
 *   <li>Then the path's segments, percent-decoded (UTF-8). Literal {@code .} and {@code ..}
 *       segments are resolved as a browser does, never above the host; empty segments are
 *       dropped. A path that is empty or ends with {@code /} gets {@code index.html}.</li>
 *   <li>A query is kept in the last name after {@code @} ({@code list@page=2}).</li>
 *   <li>In every name, {@code / \ : * ? " < > |}, control characters, and a whole name of
 *       {@code .} or {@code ..} (from {@code %2E%2E}) are written as {@code %XX}: a name can
 *       never climb out of its directory nor be illegal on Windows or POSIX.</li>
 *   <li>A name longer than 200 UTF-8 bytes is cut to fit and ends with {@code ~} and 16 hex digits
 *       of the SHA-256 of the whole name (its extension, if short, kept after them), so two long
 *       names that share a prefix stay apart.</li>
 * </ul>
 */
final class SavePaths {
    static final int MAX_NAME_BYTES = 200;
    private static final String UNSAFE = "/\\:*?\"<>|";

    private SavePaths() {
    }

    /** The path of {@code uri}'s body as segments, host first. */
    static List<String> segments(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        int defaultPort = scheme.equals("https") ? 443 : 80;
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        out.add(name(port < 0 || port == defaultPort ? host : host + "+" + port));
        String raw = uri.getRawPath();
        if (raw == null || raw.isEmpty()) {
            raw = "/";
        }
        List<String> path = new ArrayList<>();
        for (String part : raw.split("/", -1)) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!path.isEmpty()) {
                    path.removeLast();
                }
                continue;
            }
            path.add(decode(part));
        }
        if (path.isEmpty() || raw.endsWith("/") || raw.endsWith("/.") || raw.endsWith("/..")) {
            path.add("index.html");
        }
        if (uri.getRawQuery() != null) {
            path.set(path.size() - 1, path.getLast() + "@" + decode(uri.getRawQuery()));
        }
        for (String p : path) {
            out.add(name(p));
        }
        return out;
    }

    /** A safe file name for {@code s}: unsafe characters as %XX, never "." or "..", at most {@value #MAX_NAME_BYTES} bytes. */
    static String name(String s) {
        if (s.equals(".") || s.equals("..")) {
            return s.replace(".", "%2E");
        }
        int first = 0;
        while (first < s.length() && !unsafe(s.charAt(first))) {
            first++;
        }
        if (first == s.length()) {
            return shorten(s); // the usual case: nothing to escape, no copy
        }
        StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            } else {
                b.append(c);
            }
        }
        return shorten(b.toString());
    }

    /** ASCII characters written as %XX: controls, DEL and {@link #UNSAFE}. */
    private static final boolean[] ESCAPED = new boolean[0x80];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPED[c] = true;
        }
        ESCAPED[0x7f] = true;
        for (char c : UNSAFE.toCharArray()) {
            ESCAPED[c] = true;
        }
    }

    private static boolean unsafe(char c) {
        return c < 0x80 && ESCAPED[c];
    }

    /** {@code s} if it fits in {@value #MAX_NAME_BYTES} UTF-8 bytes, else a prefix, "~", a hash of {@code s} and its extension. */
    static String shorten(String s) {
        if (utf8Length(s) <= MAX_NAME_BYTES) {
            return s;
        }
        String ext = extension(s);
        String stem = s.substring(0, s.length() - ext.length());
        return cut(stem, MAX_NAME_BYTES - 17 - utf8Length(ext)) + "~" + hash16(s) + ext;
    }

    /** {@code name} with "~" and {@code hash} inserted before its extension. */
    static String withHash(String name, String hash) {
        String ext = extension(name);
        String stem = name.substring(0, name.length() - ext.length());
        return cut(stem, MAX_NAME_BYTES + 40 - utf8Length(ext)) + "~" + hash + ext;
    }

    /** A short extension ({@code .html}, at most 12 characters, not the whole name, never from a query), or "". */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || name.length() - dot > 12 || name.indexOf('@') >= 0 || name.indexOf('%', dot) >= 0) {
            return "";
        }
        return name.substring(dot);
    }

    /** The longest prefix of {@code s} that fits in {@code maxBytes} UTF-8 bytes, not splitting a code point. */
    static String cut(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Percent-decodes as UTF-8; a malformed escape is kept as written. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(HexFormat.fromHexDigits(s, i + 1, i + 3));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The first 16 hex digits of the SHA-256 of {@code s} (UTF-8). */
    static String hash16(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
