package corpus;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

class Weft302AsyncNoExecutor {
    interface Loader {
        CompletableFuture<String> loadAsync();
    }

    void flagged(CompletableFuture<String> cf) {
        CompletableFuture<Integer> a = cf.thenApplyAsync(String::length); // expect: WEFT302
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> fetch()); // expect: WEFT302
        CompletableFuture<String> c = cf.thenCombineAsync(b, (x, y) -> merge(x, y)); // expect: WEFT302
    }

    String fetch() {
        return "x";
    }

    String merge(String x, String y) {
        return x + y;
    }

    /** Delegating the executor-less method to a wrapped future is the only correct way to write it. */
    static final class Wrapped<T> extends CompletableFuture<T> {
        private final CompletableFuture<T> inner = new CompletableFuture<>();

        @Override
        public <U> CompletableFuture<U> thenApplyAsync(java.util.function.Function<? super T, ? extends U> fn) {
            return inner.thenApplyAsync(fn);
        }
    }

    // ---- look-alikes ----
    void notFlagged(CompletableFuture<String> cf, ExecutorService vexec, HttpClient client,
                    HttpRequest req, Loader loader) {
        CompletableFuture<Integer> a = cf.thenApplyAsync(String::length, vexec);
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() -> "x", vexec);
        CompletableFuture<String> c = cf.thenCombineAsync(b, (x, y) -> x + y, vexec);
        CompletableFuture<HttpResponse<String>> d = client.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        CompletableFuture<String> e = loader.loadAsync();
        CompletionStage<String> stage = cf;
        CompletionStage<Integer> f = stage.thenApplyAsync(String::length); // the stage's own default executor
        CompletableFuture<String> g = CompletableFuture.supplyAsync(() -> "x"); // pure computation: what the pool is for
        CompletableFuture<String> h = CompletableFuture.supplyAsync(() -> "x".repeat(3).strip()); // JDK computation only
    }
}
