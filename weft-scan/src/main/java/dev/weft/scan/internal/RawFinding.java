package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/** A finding before fingerprinting: position, rule, message, and what the fingerprint needs. */
record RawFinding(Rule rule, int line, int column, String message, boolean exact, String enclosing,
                  String lineText) {
}
