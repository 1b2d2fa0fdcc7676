package dev.weft;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A dynamic number of resources closed as one: Python's {@code AsyncExitStack}.
 *
 * {@snippet :
 * try (ResourceStack stack = new ResourceStack()) {
 *     for (String name : names) {
 *         files.add(stack.push(open(name)));
 *     }
 *     process(files);
 * } // closed in reverse order, every one, even if some close() throws
 * }
 *
 * <p>{@link #close()} closes in reverse order of {@link #push}; every close runs even when earlier
 * ones throw; the first failure is thrown with the rest attached as suppressed. Closing is not
 * interrupted by cancellation (each resource's own {@code close()} decides what an interrupt means
 * to it). Pushing onto a closed stack closes the resource at once and throws
 * {@link IllegalStateException}, so nothing pushed is ever leaked. {@link #transfer()} moves
 * everything to a new stack (Python's {@code pop_all}), to hand ownership on once set-up succeeded.
 * Thread-safe.
 */
@SuppressWarnings("try") // close() rethrows whatever the resources throw, as try-with-resources would
public final class ResourceStack implements AutoCloseable {
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private boolean closed;

    /** An empty, open stack. */
    public ResourceStack() {
    }

    /**
     * Pushes {@code resource}; it will be closed before everything pushed earlier.
     *
     * @param <R> the resource's type
     * @param resource the resource to close when the stack closes
     * @return {@code resource}, so it can be pushed where it is opened
     * @throws IllegalStateException if the stack is already closed (the resource is closed at once)
     */
    public <R extends AutoCloseable> R push(R resource) {
        Objects.requireNonNull(resource, "resource");
        synchronized (this) {
            if (!closed) {
                resources.push(resource);
                return resource;
            }
        }
        IllegalStateException e = new IllegalStateException(
                "this ResourceStack is closed: the resource pushed onto it was closed at once");
        try {
            resource.close();
        } catch (Exception closeError) {
            e.addSuppressed(closeError);
        }
        throw e;
    }

    /**
     * Pushes a callback to run at close (Python's {@code callback}).
     *
     * @param action run at close, in reverse order of pushing; its exception is handled like a close failure
     * @throws IllegalStateException if the stack is already closed (the action runs at once)
     */
    public void callback(Runnable action) {
        Objects.requireNonNull(action, "action");
        push(action::run);
    }

    /**
     * Moves every resource to a new stack and leaves this one empty (still open).
     *
     * @return a new stack owning every resource this one held, in the same order
     */
    public synchronized ResourceStack transfer() {
        ResourceStack other = new ResourceStack();
        other.resources.addAll(resources);
        resources.clear();
        return other;
    }

    /**
     * How many resources are waiting to be closed.
     *
     * @return the number of resources and callbacks not yet closed
     */
    public synchronized int size() {
        return resources.size();
    }

    /** Closes everything, last pushed first; throws the first failure with the others suppressed. */
    @Override
    public void close() throws Exception {
        Deque<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayDeque<>(resources);
            resources.clear();
        }
        Throwable first = null;
        for (AutoCloseable r : toClose) {
            try {
                r.close();
            } catch (Throwable e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof Exception e) {
            throw e;
        }
        if (first instanceof Error e) {
            throw e;
        }
        if (first != null) {
            throw Sneaky.rethrow(first); // a bare Throwable: never dropped
        }
    }
}
