package dev.weft.scan;

import java.util.List;

/**
 * What a scan found.
 *
 * @param findings   findings after suppressions and baseline, sorted by path, line, column, rule
 * @param fileErrors files that did not parse or could not be read; the scan went on without them
 * @param files      number of source files read
 * @param lines      number of source lines read
 * @param attributed whether javac attribution ran (otherwise every finding is low confidence)
 * @param suppressed findings dropped by {@code @SuppressWarnings}, comments or the baseline
 */
public record ScanResult(List<Finding> findings, List<FileError> fileErrors, int files, long lines,
                         boolean attributed, int suppressed) {
    public ScanResult {
        findings = List.copyOf(findings);
        fileErrors = List.copyOf(fileErrors);
    }

    /** The process exit code: 2 if a file did not parse, else 1 if anything was found, else 0. */
    public int exitCode() {
        if (!fileErrors.isEmpty()) {
            return ExitCodes.USAGE_OR_PARSE_ERROR;
        }
        return findings.isEmpty() ? ExitCodes.CLEAN : ExitCodes.FINDINGS;
    }
}
