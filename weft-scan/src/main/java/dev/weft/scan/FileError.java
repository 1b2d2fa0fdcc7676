package dev.weft.scan;

/**
 * A file that could not be scanned: it does not parse, or could not be read.
 *
 * @param path    the file as displayed
 * @param line    1-based line of the first error, 0 when unknown
 * @param column  1-based column of the first error, 0 when unknown
 * @param message javac's message (or the I/O error)
 */
public record FileError(String path, long line, long column, String message) {
}
