package dev.weft.scan;

import java.util.Objects;

/**
 * One finding: a rule, a place, a message.
 *
 * @param path        the file as displayed (relative to the working directory when under it;
 *                    {@code archive!/entry} for sources read from a jar or zip)
 * @param line        1-based line
 * @param column      1-based column
 * @param rule        the rule
 * @param message     what is wrong, naming the call and the context
 * @param confidence  {@link Confidence#LOW} when a type was inferred without attribution
 * @param fingerprint a stable hash of rule, path, enclosing declaration and the normalised source
 *                    line (not the line number), used by baselines and SARIF
 * @param severity    the rule's severity, one step lower in test sources under
 *                    {@link ScanOptions.Tests#LOWER}
 */
public record Finding(String path, int line, int column, Rule rule, String message,
                      Confidence confidence, String fingerprint, Severity severity) {
    /**
     * A finding at its rule's severity.
     *
     * @param path        the file as displayed
     * @param line        1-based line
     * @param column      1-based column
     * @param rule        the rule
     * @param message     what is wrong
     * @param confidence  how sure the resolution was
     * @param fingerprint the stable hash
     */
    public Finding(String path, int line, int column, Rule rule, String message, Confidence confidence,
                   String fingerprint) {
        this(path, line, column, rule, message, confidence, fingerprint, rule.severity());
    }

    /**
     * Checks that no component is null.
     * @throws NullPointerException if a component is null
     */
    public Finding {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(confidence, "confidence");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(severity, "severity");
    }
}
