package dev.weft.cli.fetch;

import dev.weft.http.BulkFetch;
import java.util.Locale;

/**
 * Parses a size: {@code 1048576}, {@code 500k}, {@code 10M}, {@code 1.5G} (binary multiples, as
 * curl's {@code --max-filesize} and wget's {@code --quota}; an optional trailing {@code B} or
 * {@code iB}), or {@code none} for no limit ({@link BulkFetch#UNLIMITED}).
 */
public final class SizeConverter {
    private SizeConverter() {
    }

    /**
     * Parses {@code value}.
     *
     * @param value what the user wrote
     * @return the size in bytes
     * @throws IllegalArgumentException if it is not one, with a message quoting it and giving examples
     */
    public static long convert(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("none")) {
            return BulkFetch.UNLIMITED;
        }
        if (v.endsWith("ib")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long unit = 1;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                case 't' -> unit = 1L << 40;
                default -> unit = 1;
            }
        }
        String number = unit == 1 ? v : v.substring(0, v.length() - 1);
        try {
            double d = Double.parseDouble(number);
            if (d >= 1 && d * unit < 9e18 && !number.startsWith("+")) {
                return (long) (d * unit);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + value + "' is not a size of at least 1 byte (examples: 500k, 10M, 1G, none)");
    }
}
