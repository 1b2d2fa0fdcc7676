/**
 * Weft scan: finds blocking calls where they hurt and async misuse in Java source code, on the
 * javac Tree API. Only {@code dev.weft.scan} is exported; the analysis lives in an unexported
 * package.
 */
module dev.weft.scan {
    requires jdk.compiler;

    exports dev.weft.scan;
}
