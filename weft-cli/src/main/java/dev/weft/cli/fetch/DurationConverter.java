package dev.weft.cli.fetch;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Parses {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or an ISO-8601 {@code PT2S}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    /** Picocli creates one per option that names it ({@code converter = DurationConverter.class}). */
    public DurationConverter() {
    }

    @Override
    public Duration convert(String value) {
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
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (examples: 250ms, 2s, 1.5s, 1m)");
    }
}
