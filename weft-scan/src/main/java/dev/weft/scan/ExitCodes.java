package dev.weft.scan;

/** Exit codes of {@code weft scan}. */
public final class ExitCodes {
    /** Nothing found. */
    public static final int CLEAN = 0;
    /** At least one finding. */
    public static final int FINDINGS = 1;
    /**
     * Bad options, unreadable input, or no file that parses. A file that does not parse among
     * others that do is reported and skipped (ADR 0105).
     */
    public static final int USAGE_OR_PARSE_ERROR = 2;

    private ExitCodes() {
    }
}
