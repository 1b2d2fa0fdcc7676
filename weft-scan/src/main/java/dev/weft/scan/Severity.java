package dev.weft.scan;

/** How much a finding matters. SARIF levels: {@code error}, {@code warning}, {@code note}. */
public enum Severity {
    /** Breaks the program under load (a blocked event loop, a lost cancellation). */
    ERROR("error"),
    /** Wastes threads or hides failures; fix it. */
    WARNING("warning"),
    /** Worth a look; not enabled by default. */
    INFO("note");

    private final String sarifLevel;

    Severity(String sarifLevel) {
        this.sarifLevel = sarifLevel;
    }

    /**
     * The SARIF 2.1.0 {@code level} for this severity.
     *
     * @return {@code "error"}, {@code "warning"} or {@code "note"}
     */
    public String sarifLevel() {
        return sarifLevel;
    }
}
