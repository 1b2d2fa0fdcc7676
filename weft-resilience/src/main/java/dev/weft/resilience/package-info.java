/** Resilience policies for Weft: see {@code Policy}. */
package dev.weft.resilience;
