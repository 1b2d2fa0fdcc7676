package dev.weft.http;

import java.io.InputStream;

/**
 * Run in a child JVM with a small heap by {@link HttpSessionTest}: streams a body much larger than
 * that heap and prints how many bytes it read. If the client held the body, the child would fail
 * with {@link OutOfMemoryError}: a deterministic memory bound, unlike sampling heap use after a GC hint.
 */
final class StreamInSmallHeapMain {
    private StreamInSmallHeapMain() {
    }

    /**
     * @param args the URL to stream
     * @throws Exception if the request fails
     */
    public static void main(String[] args) throws Exception {
        long read = 0;
        try (HttpSession s = HttpSession.create();
                StreamingResponse res = s.stream(Request.get(args[0]))) {
            InputStream in = res.body();
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                read += n;
            }
        }
        System.out.println("read " + read);
        System.out.println("maxHeap " + Runtime.getRuntime().maxMemory());
    }
}
