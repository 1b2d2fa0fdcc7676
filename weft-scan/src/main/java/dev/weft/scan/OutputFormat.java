package dev.weft.scan;

import java.util.Locale;

/** Report formats. */
public enum OutputFormat {
    /** {@code path:line:col: ID message}, one finding per line (the default). */
    TEXT,
    /** One JSON document: findings, file errors and counts. */
    JSON,
    /** SARIF 2.1.0, for code-scanning services. */
    SARIF;

    /**
     * Parses a format name, case-insensitively.
     *
     * @param name {@code text}, {@code json} or {@code sarif}, in any case
     * @return the format
     * @throws IllegalArgumentException with the accepted names when {@code name} is not one of them
     */
    public static OutputFormat parse(String name) {
        for (OutputFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown format '" + name + "'; expected one of text, json, sarif");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
