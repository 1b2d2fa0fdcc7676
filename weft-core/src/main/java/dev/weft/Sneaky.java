package dev.weft;

/**
 * Rethrows any {@code Throwable} without declaring it: the one copy for the package (there were
 * five). {@code throw Sneaky.rethrow(t);} lets the compiler see a {@code RuntimeException} while
 * {@code t}, checked or not, is thrown as it is.
 */
final class Sneaky {
    private Sneaky() {
    }

    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException rethrow(Throwable t) throws X {
        throw (X) t;
    }
}
