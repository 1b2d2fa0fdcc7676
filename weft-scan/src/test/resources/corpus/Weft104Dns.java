package corpus;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

class Weft104Dns {
    void flagged(CompletableFuture<String> cf) {
        cf.thenApply(h -> {
            try {
                return InetAddress.getByName(h); // expect: WEFT104
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
        cf.thenApply(h -> new InetSocketAddress(h, 443)); // expect: WEFT104
        cf.thenApply(h -> new InetSocketAddress("example.com", 80)); // expect: WEFT104
    }

    // ---- look-alikes ----
    void notFlagged(CompletableFuture<String> cf, InetAddress addr) throws Exception {
        cf.thenApply(h -> InetSocketAddress.createUnresolved(h, 443));
        cf.thenApply(h -> new InetSocketAddress(addr, 443));
        cf.thenApply(h -> new InetSocketAddress(8080));
        cf.thenApply(h -> addr.getAddress());
        InetAddress.getByName("example.com");
    }
}
