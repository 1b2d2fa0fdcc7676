package dev.weft.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback server on a raw {@link ServerSocket} that answers each connection with a handler of
 * the test's choosing, so a test can make it misbehave (close mid-body, send a garbage status line,
 * drip bytes). Each connection runs on its own virtual thread; {@link #close()} stops everything.
 */
final class RawServer implements AutoCloseable {
    /** What the server does with one accepted connection (the request head has been read). */
    @FunctionalInterface
    interface Handler {
        void handle(String requestHead, OutputStream out) throws Exception;
    }

    private final ServerSocket socket;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger();

    RawServer(Handler handler) throws IOException {
        this(handler, false);
    }

    /**
     * A server that, with {@code keepAlive}, answers request after request on one connection
     * (until the client closes it or the handler throws); without, one request per connection.
     */
    RawServer(Handler handler, boolean keepAlive) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("raw-server").start(() -> {
            while (!socket.isClosed()) {
                Socket s;
                try {
                    s = socket.accept();
                } catch (IOException e) {
                    return;
                }
                open.add(s);
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    try (s) {
                        String head;
                        do {
                            head = readHead(s.getInputStream());
                            if (head != null) {
                                handler.handle(head, s.getOutputStream());
                                s.getOutputStream().flush();
                            }
                        } while (keepAlive && head != null);
                    } catch (Exception e) {
                        // the client went away, or the test is closing the server
                    } finally {
                        open.remove(s);
                    }
                });
            }
        });
    }

    /** Reads up to the blank line ending a request head; null at end of stream. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            sb.append((char) c);
            if (sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n")) {
                return sb.toString();
            }
        }
        return null;
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The request path of {@code head}. */
    static String path(String head) {
        String[] parts = head.split(" ", 3);
        return parts.length > 1 ? parts[1] : "/";
    }

    String url(String path) {
        return "http://127.0.0.1:" + socket.getLocalPort() + path;
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : open) {
            s.close();
        }
        acceptor.interrupt();
    }
}
