package hb;

import java.io.*;
import java.lang.management.ManagementFactory;
import java.net.*;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * One HTTP client fetching a URL list with 64 virtual threads in one process: after a warm-up
 * of the first W URLs, the rest are timed, with the process's CPU time per request. The engines:
 * raw (a keep-alive HTTP/1.1 exchange on a blocking socket, Content-Length only: the floor, not a
 * client), jetty (Jetty 12's HttpClient, InputStreamResponseListener, as HttpSession used it),
 * helidon (Helidon 4's WebClient), apache (Apache HttpClient 5 classic), jdk (java.net.http),
 * weft-direct and weft-jetty (HttpSession.stream with and without its direct transport).
 * Usage: Main ENGINE URLS_FILE WARMUP
 */
public class Main {
    interface Engine extends AutoCloseable { long get(String url) throws Exception; }

    public static void main(String[] a) throws Exception {
        String engine = a[0];
        List<String> urls = Files.readAllLines(Path.of(a[1]));
        int warm = Integer.parseInt(a[2]), conc = 64;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Engine e = make(engine, conc)) {
            run(e, urls.subList(0, warm), conc);
            long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            long bytes = run(e, urls.subList(warm, urls.size()), conc);
            long c1 = os.getProcessCpuTime(), t1 = System.nanoTime();
            int n = urls.size() - warm;
            System.out.printf("%s: %d reqs %.2f s wall, %.0f req/s, CPU %.2f s = %.1f us/req, %d MB%n", engine, n, (t1 - t0) / 1e9,
                    n / ((t1 - t0) / 1e9), (c1 - c0) / 1e9, (c1 - c0) / 1e3 / n, bytes >> 20);
        }
        System.exit(0);
    }

    static long run(Engine e, List<String> urls, int conc) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        AtomicInteger errors = new AtomicInteger();
        try (var ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < conc; i++) {
                ex.submit(() -> {
                    int k;
                    while ((k = next.getAndIncrement()) < urls.size()) {
                        try { bytes.addAndGet(e.get(urls.get(k))); } catch (Exception x) { if (errors.incrementAndGet() < 3) x.printStackTrace(); }
                    }
                    return null;
                });
            }
        }
        if (errors.get() > 0) System.out.println("errors " + errors);
        return bytes.get();
    }

    static long drain(InputStream in) throws IOException {
        byte[] b = new byte[16384]; long n = 0; int r;
        while ((r = in.read(b)) >= 0) n += r;
        in.close();
        return n;
    }

    static Engine make(String name, int conc) throws Exception {
        switch (name) {
            case "jetty": {
                var c = new org.eclipse.jetty.client.HttpClient();
                c.setMaxConnectionsPerDestination(64);
                c.start();
                return new Engine() {
                    public long get(String url) throws Exception {
                        var l = new org.eclipse.jetty.client.InputStreamResponseListener();
                        c.newRequest(url).send(l);
                        var r = l.get(10, TimeUnit.SECONDS);
                        if (r.getStatus() != 200) throw new IOException("status " + r.getStatus());
                        return drain(l.getInputStream());
                    }
                    public void close() throws Exception { c.stop(); }
                };
            }
            case "jetty-vt": {
                var c = new org.eclipse.jetty.client.HttpClient();
                c.setMaxConnectionsPerDestination(64);
                var pool = new org.eclipse.jetty.util.thread.QueuedThreadPool();
                pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
                c.setExecutor(pool);
                c.start();
                return new Engine() {
                    public long get(String url) throws Exception {
                        var l = new org.eclipse.jetty.client.InputStreamResponseListener();
                        c.newRequest(url).send(l);
                        var r = l.get(10, TimeUnit.SECONDS);
                        return drain(l.getInputStream());
                    }
                    public void close() throws Exception { c.stop(); }
                };
            }
            case "helidon": {
                var c = io.helidon.webclient.api.WebClient.builder().connectionCacheSize(256).build();
                return new Engine() {
                    public long get(String url) throws Exception {
                        try (var r = c.get(url).request()) {
                            if (r.status().code() != 200) throw new IOException("status " + r.status());
                            return drain(r.inputStream());
                        }
                    }
                    public void close() { }
                };
            }
            case "jdk": {
                var c = java.net.http.HttpClient.newBuilder().build();
                return new Engine() {
                    public long get(String url) throws Exception {
                        var r = c.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
                        return drain(r.body());
                    }
                    public void close() { c.close(); }
                };
            }
            case "raw", "raw-timed": {
                boolean timed = name.equals("raw-timed");
                var pool = new ConcurrentLinkedQueue<Socket>();
                return new Engine() {
                    public long get(String url) throws Exception {
                        URI u = URI.create(url);
                        Socket s = pool.poll();
                        if (s == null) { s = new Socket(u.getHost(), u.getPort()); s.setTcpNoDelay(true); if (timed) s.setSoTimeout(10_000); }
                        var out = s.getOutputStream();
                        out.write(("GET " + u.getRawPath() + " HTTP/1.1\r\nHost: " + u.getHost() + ":" + u.getPort() + "\r\nUser-Agent: x\r\n\r\n").getBytes());
                        var in = s.getInputStream();
                        byte[] buf = new byte[16384];
                        int n = 0, hdrEnd = -1;
                        while (hdrEnd < 0) {
                            int r = in.read(buf, n, buf.length - n); if (r < 0) throw new EOFException();
                            n += r;
                            for (int i = 3; i < n; i++) if (buf[i] == '\n' && buf[i-1] == '\r' && buf[i-2] == '\n' && buf[i-3] == '\r') { hdrEnd = i + 1; break; }
                        }
                        String h = new String(buf, 0, hdrEnd, java.nio.charset.StandardCharsets.ISO_8859_1);
                        int ci = h.toLowerCase().indexOf("content-length:");
                        long len = Long.parseLong(h.substring(ci + 15, h.indexOf('\r', ci)).trim());
                        long got = n - hdrEnd;
                        while (got < len) { int r = in.read(buf); if (r < 0) throw new EOFException(); got += r; }
                        pool.offer(s);
                        return len;
                    }
                    public void close() { }
                };
            }
            case "apache": {
                var cm = org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(128).setMaxConnPerRoute(128).build();
                var c = org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(cm).disableContentCompression().build();
                return new Engine() {
                    public long get(String url) throws Exception {
                        return c.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url), r -> {
                            if (r.getCode() != 200) throw new IOException("status " + r.getCode());
                            return drain(r.getEntity().getContent());
                        });
                    }
                    public void close() throws Exception { c.close(); }
                };
            }
            case "weft-direct", "weft-jetty": {
                var s = dev.weft.http.HttpSession.builder().limit(conc).contentDecoding(false)
                        .directHttp1(name.equals("weft-direct")).build();
                return new Engine() {
                    public long get(String url) throws Exception {
                        try (var r = s.stream(dev.weft.http.Request.get(url))) {
                            if (r.status() != 200) throw new IOException("status " + r.status());
                            return drain(r.body());
                        }
                    }
                    public void close() { s.close(); }
                };
            }
            default: throw new IllegalArgumentException(name);
        }
    }
}
