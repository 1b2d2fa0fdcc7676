package corpus;

import dev.weft.Weft;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class Weft101Network {
    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService vexec = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> cache = new java.util.HashMap<>();

    void flagged(CompletableFuture<URI> uri, List<String> hosts, Connection db) {
        uri.thenApply(u -> {
            try {
                return client.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString()); // expect: WEFT101
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        hosts.parallelStream().map(h -> openSocket(h)).count();
        Mono.fromCallable(() -> db.createStatement().executeQuery("select 1")); // expect: WEFT101
        uri.whenComplete((u, err) -> cache.put("k", query(db)));
    }

    private Socket openSocket(String host) {
        try {
            return new Socket(host, 80); // expect: WEFT101
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String query(Connection db) {
        try {
            db.commit(); // expect: WEFT101
            return "ok";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- look-alikes: nothing below is flagged ----

    String fetch(URI u) throws Exception {
        return client.send(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    void notFlagged(CompletableFuture<URI> uri, Connection db) throws Exception {
        String v = cache.get("key");
        Future<String> f = vexec.submit(() -> fetch(URI.create(v)));
        uri.thenCompose(u -> client.sendAsync(HttpRequest.newBuilder(u).build(), HttpResponse.BodyHandlers.ofString()));
        String off = Weft.offload(() -> fetch(URI.create("https://example.com")));
        Mono.fromCallable(() -> db.createStatement().executeQuery("select 1"))
                .subscribeOn(Schedulers.boundedElastic());
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:x")) {
            c.createStatement().execute("select 1");
        }
    }
}

class Weft101Handler extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:x")) { // expect: WEFT101
            ctx.writeAndFlush(msg);
        }
    }

    static Connection open() throws Exception {
        return DriverManager.getConnection("jdbc:h2:mem:x");
    }
}
