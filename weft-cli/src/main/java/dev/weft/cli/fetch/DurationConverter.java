package dev.weft.cli.fetch;

import java.time.Duration;
import java.util.Locale;

/** Parses {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or an ISO-8601 {@code PT2S}. */
public final class DurationConverter {
    private DurationConverter() {
    }

    /**
     * Parses {@code value}.
     *
     * @param value what the user wrote
     * @return the duration
     * @throws IllegalArgumentException if it is not one, with a message quoting it and giving examples
     */
    public static Duration convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("pt")) {
                return Duration.parse(value.strip());
            }
            if (v.endsWith("ms")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 2)) * 1e6));
            }
            if (v.endsWith("s")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e9));
            }
            if (v.endsWith("m")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60e9));
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + value + "' is not a duration (examples: 250ms, 2s, 1.5s, 1m)");
    }
}
