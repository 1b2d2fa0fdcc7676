package corpus;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class Weft102Process {
    void flagged(CompletableFuture<String> cf, ProcessBuilder pb, Process p) {
        cf.thenRun(() -> {
            try {
                pb.start(); // expect: WEFT102
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        cf.thenApply(s -> {
            try {
                return p.waitFor(); // expect: WEFT102 WEFT108
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        });
        cf.thenApply(s -> {
            try {
                return p.waitFor(1, TimeUnit.SECONDS); // expect: WEFT102
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    // ---- look-alikes ----
    void notFlagged(CompletableFuture<String> cf, ProcessBuilder pb, Process p) throws Exception {
        pb.start();
        p.waitFor(5, TimeUnit.SECONDS);
        Thread t = Thread.startVirtualThread(() -> {
            try {
                Runtime.getRuntime().exec(new String[] {"true"});
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        cf.thenApply(s -> p.pid());
        cf.thenApply(s -> pb.command());
    }
}
