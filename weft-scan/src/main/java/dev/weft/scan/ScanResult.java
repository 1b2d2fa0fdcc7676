package dev.weft.scan;

import java.util.List;

/**
 * What a scan found.
 *
 * @param findings   findings after suppressions and baseline, sorted by path, line, column, rule
 * @param fileErrors files that did not parse or could not be read; the scan went on without them
 * @param files      number of source files read
 * @param lines      number of source lines read
 * @param attributedFiles how many files javac attributed (the others were matched on names only;
 *                   see {@link ScanOptions.Mode})
 * @param suppressed findings dropped by {@code @SuppressWarnings}, comments or the baseline
 */
public record ScanResult(List<Finding> findings, List<FileError> fileErrors, int files, long lines,
                         int attributedFiles, int suppressed) {
    /** Copies the lists, so the result is immutable. */
    public ScanResult {
        findings = List.copyOf(findings);
        fileErrors = List.copyOf(fileErrors);
    }

    /**
     * Whether javac attribution ran for any file (otherwise every finding is low confidence).
     *
     * @return {@code true} if at least one file was attributed
     */
    public boolean attributed() {
        return attributedFiles > 0;
    }

    /**
     * The process exit code: 1 if anything was found, else 0. Files that did not parse are reported
     * and skipped (ADR 0105): they make the code 2 only when no file at all could be scanned.
     *
     * @return the exit code, 0, 1 or 2
     */
    public int exitCode() {
        if (!fileErrors.isEmpty() && fileErrors.size() >= files) {
            return ExitCodes.USAGE_OR_PARSE_ERROR;
        }
        return findings.isEmpty() ? ExitCodes.CLEAN : ExitCodes.FINDINGS;
    }
}
