package corpus;

import io.vertx.ext.web.Router;
import java.io.FileInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.jetbrains.annotations.NonBlocking;

class Weft103File {
    void flagged(CompletableFuture<Path> cf, Router router) {
        cf.thenApply(p -> {
            try {
                return Files.readString(p); // expect: WEFT103
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        router.route("/x").handler(ctx -> ctx.end(read(Path.of("x"))));
    }

    private String read(Path p) {
        try {
            return new String(Files.readAllBytes(p)); // expect: WEFT103
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @NonBlocking
    int first(String name) throws Exception {
        try (FileInputStream in = new FileInputStream(name)) { // expect: WEFT103
            return in.read();
        }
    }

    // ---- look-alikes ----
    String plain(Path p) throws Exception {
        return Files.readString(p);
    }

    void notFlagged(CompletableFuture<Path> cf, Router router) {
        cf.thenApply(p -> p.getFileName());
        cf.thenApply(p -> Files.isDirectory(p));
        router.route("/y").blockingHandler(ctx -> ctx.end(plain(Path.of("y"))));
    }
}
