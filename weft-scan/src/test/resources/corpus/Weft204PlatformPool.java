package corpus;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class Weft204PlatformPool {
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newHttpClient();

    void flagged(URI u, Connection db) {
        Future<String> f = pool.submit(() -> client.send(HttpRequest.newBuilder(u).build(), // expect: WEFT204
                HttpResponse.BodyHandlers.ofString()).body());
        CompletableFuture<Boolean> g = CompletableFuture.supplyAsync(() -> {
            try {
                return db.createStatement().execute("update t set x = 1"); // expect: WEFT204
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pool);
        ExecutorService cached = Executors.newCachedThreadPool();
        cached.execute(() -> {
            try {
                Thread.sleep(100); // expect: WEFT204
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    // ---- look-alikes ----
    void notFlagged(URI u, Path p) {
        try (ExecutorService v = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> f = v.submit(() -> client.send(HttpRequest.newBuilder(u).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        }
        Future<Integer> sum = pool.submit(() -> 1 + 2);
        Future<String> file = pool.submit(() -> Files.readString(p));
    }
}
