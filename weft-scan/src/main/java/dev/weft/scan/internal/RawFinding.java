package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * A finding before fingerprinting: position, rule, message, and what the fingerprint needs;
 * {@code unlessOnlyEndsProcess}, when not null, names the method ({@code Class.method/arity}) whose
 * calls, all ending a process's work across the module, make the finding moot (see {@link Tails}).
 */
record RawFinding(Rule rule, int line, int column, String message, boolean exact, String enclosing,
                  String lineText, String unlessOnlyEndsProcess) {
}
