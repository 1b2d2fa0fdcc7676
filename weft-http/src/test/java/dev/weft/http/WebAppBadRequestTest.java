package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Issue 10: an invalid method token gets 400 (not 500), an unknown method 501; one log line; the server keeps serving. */
class WebAppBadRequestTest {

    /** Captures every record of the weft and Helidon loggers at INFO and above. */
    static final class Capture extends Handler implements AutoCloseable {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final Logger weft = Logger.getLogger("dev.weft.http");
        private final Logger helidon = Logger.getLogger("io.helidon");
        private final Level weftLevel = weft.getLevel();

        Capture() {
            weft.setLevel(Level.INFO);
            weft.addHandler(this);
            helidon.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.INFO.intValue()) {
                records.add(r);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            weft.removeHandler(this);
            helidon.removeHandler(this);
            weft.setLevel(weftLevel);
        }
    }

    private static String ask(int port, String request) throws Exception {
        return Raw.exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void illegalMethodTokenGets400LoggedOnceAndTheServerKeepsServing() throws Exception {
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).get("/ok", req -> WebResponse.text("ok")).build();
        try (RunningApp r = app.start(); Capture logs = new Capture()) {
            String answer = ask(r.port(), "G@T /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(400, Raw.statusOf(answer), answer);
            assertTrue(answer.contains("malformed request line"), answer);
            assertEquals(1, logs.records.size(), () -> logs.records.stream().map(LogRecord::getMessage).toList().toString());
            assertEquals(Level.INFO, logs.records.get(0).getLevel());
            assertEquals(null, logs.records.get(0).getThrown(), "one line, no stack trace");
            // "GE T" (a space inside the method) is a malformed request line too
            assertEquals(400, Raw.statusOf(ask(r.port(), "GE T /ok HTTP/1.1\r\nHost: x\r\n\r\n")));
            assertEquals("ok", Raw.get(r.uri(), "/ok").body());
        }
    }

    @Test
    void illegalMethodAfterAGoodRequestOnTheSameConnectionGets400() throws Exception {
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).get("/ok", req -> WebResponse.text("ok")).build();
        try (RunningApp r = app.start();
                Socket s = new Socket(InetAddress.getLoopbackAddress(), r.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n" + "G(T /ok HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                all.write(buf, 0, n);
            }
            String both = all.toString(StandardCharsets.ISO_8859_1);
            assertTrue(both.startsWith("HTTP/1.1 200"), both);
            assertTrue(both.contains("HTTP/1.1 400"), both);
            assertTrue(!both.contains(" 500 "), both);
        }
    }

    @Test
    void validButUnknownMethodGets501AndARoutedCustomMethodStillWorks() throws Exception {
        WebApp app = WebApp.builder().host("127.0.0.1").port(0)
                .get("/ok", req -> WebResponse.text("ok"))
                .route("PURGE", "/cache", req -> WebResponse.text("purged"))
                .build();
        try (RunningApp r = app.start()) {
            String brew = ask(r.port(), "BREW /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(501, Raw.statusOf(brew), brew);
            assertTrue(brew.contains("method BREW is not implemented by this server"), brew);
            String purge = ask(r.port(), "PURGE /cache HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertEquals(200, Raw.statusOf(purge), purge);
            // a standard method without a route is still 404
            assertEquals(404, Raw.statusOf(ask(r.port(), "DELETE /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
            assertEquals("ok", Raw.get(r.uri(), "/ok").body());
        }
    }
}
