package dev.weft.internal.debug;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/** Debug-mode settings from system properties, with defaults; a bad value is logged and the default used. */
final class Settings {
    private Settings() {
    }

    /** Parses {@code 20ms}, {@code 2s}, {@code 500us}, a plain number of milliseconds, or ISO-8601 ({@code PT2S}). */
    static Duration parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            if (v.endsWith("us")) {
                return Duration.ofNanos(Long.parseLong(v.substring(0, v.length() - 2).trim()) * 1000);
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not a duration: write 20ms, 2s, 500us, a number of"
                    + " milliseconds, or ISO-8601 such as PT2S", e);
        }
    }

    static Duration duration(String property, Duration dflt) {
        String s = System.getProperty(property);
        if (s == null) {
            return dflt;
        }
        try {
            return positive(property, parse(s));
        } catch (IllegalArgumentException e) {
            Registry.LOG.log(Level.WARNING, "ignoring -D" + property + "=" + s + ": " + e.getMessage()
                    + "; using the default " + dflt);
            return dflt;
        }
    }

    static boolean flag(String property, boolean dflt) {
        String s = System.getProperty(property);
        return s == null ? dflt : DebugSwitch.truthy(s);
    }

    static Duration positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }
}
