package dev.weft.examples.pitfalls;

import dev.weft.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Blocking in {@code CompletableFuture} stages that run on the common {@code ForkJoinPool}. */
public final class CommonPoolStage {
    private CommonPoolStage() {
    }

    // tag::common-pool-io[]
    /** WRONG: a blocking download on the common pool (supplyAsync without an executor). */
    public static CompletableFuture<Integer> sizeOf(URI uri) {
        return CompletableFuture.supplyAsync(() -> {
            try (InputStream in = uri.toURL().openStream()) {
                return in.readAllBytes().length;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
    // end::common-pool-io[]

    // tag::common-pool-join[]
    /** WRONG: waits for a Weft task inside a common-pool stage. */
    public static CompletableFuture<String> shout(CompletableFuture<Task<String>> pending) {
        return pending.thenApply(task -> {
            try {
                return task.join().toUpperCase(java.util.Locale.ROOT);
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
    }
    // end::common-pool-join[]
}
