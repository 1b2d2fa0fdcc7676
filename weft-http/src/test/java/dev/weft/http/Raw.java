package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Test helpers: a plain JDK client (independent of the code under test) and raw sockets. */
final class Raw {
    private static final HttpClient JDK = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private Raw() {
    }

    static HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return JDK.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(URI base, String path, String header, String value)
            throws IOException, InterruptedException {
        return JDK.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).header(header, value)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(URI base, String path, String body) throws IOException, InterruptedException {
        return JDK.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code bytes} on a fresh connection and returns everything the server answers until it closes. */
    static String exchange(int port, byte[] bytes) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                s.shutdownOutput();
            } catch (IOException e) {
                // the server may close early (oversized input): read what it said
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    all.write(buf, 0, n);
                }
            } catch (IOException e) {
                // connection reset after the answer: keep what was read
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static int statusOf(String rawResponse) {
        if (!rawResponse.startsWith("HTTP/1.1 ")) {
            return -1;
        }
        return Integer.parseInt(rawResponse.substring(9, 12));
    }
}
