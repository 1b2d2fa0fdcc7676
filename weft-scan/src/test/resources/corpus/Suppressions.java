package corpus;

import java.util.concurrent.CompletableFuture;

class Suppressions {
    @SuppressWarnings("weft:WEFT106")
    void byAnnotation(CompletableFuture<String> cf) {
        cf.thenRun(() -> sleepQuietly(1));
        cf.thenRun(() -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @SuppressWarnings({"unchecked", "weft"})
    void byAnnotationAll(CompletableFuture<String> cf) {
        CompletableFuture<String> x = cf.thenApplyAsync(String::strip);
    }

    void byComment(CompletableFuture<String> cf) {
        CompletableFuture<String> a = cf.thenApplyAsync(String::strip); // weft: ignore[WEFT302]
        // weft: ignore[WEFT302] the common pool is fine for this pure function
        CompletableFuture<String> b = cf.thenApplyAsync(String::strip);
        CompletableFuture<String> c = cf.thenApplyAsync(String::strip); // weft: ignore
        CompletableFuture<String> d = cf.thenApplyAsync(String::strip); // weft: ignore[WEFT101] expect: WEFT302
    }

    static void sleepQuietly(long ms) {
    }
}
