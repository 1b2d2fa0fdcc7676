package dev.weft.scan;

/** How a finding's call was resolved. */
public enum Confidence {
    /** Every type involved was resolved by javac's attribution. */
    HIGH,
    /** At least one type was inferred from imports and declared names (parse-only matching). */
    LOW
}
