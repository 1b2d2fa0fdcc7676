package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 18: every way the start can fail ends in an exception that says where and why; nothing keeps running. */
class WebAppStartTest {

    @Test
    void portInUseThrowsNamingHostPortAndCause() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            WebApp app = WebApp.builder().host("127.0.0.1").port(port)
                    .onStartup("hook", () -> {
                        events.add("started");
                        return null;
                    })
                    .get("/x", req -> WebResponse.text("x"))
                    .build();
            IllegalStateException e = assertThrows(IllegalStateException.class, app::start);
            assertEquals("could not listen on 127.0.0.1:" + port + ": port " + port + " is already in use (another process"
                    + " listens on it; stop it or choose another port, 0 for a free one)", e.getMessage());
            assertInstanceOf(BindException.class, e.getCause());
            assertEquals(List.of(), events, "no startup hook runs when the listener did not open");
            // the taken port still belongs to its owner: nothing of ours answers there
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                assertTrue(s.isConnected());
            }
        }
    }

    @Test
    void unknownHostThrowsNamingTheHost() {
        WebApp app = WebApp.builder().host("no-such-host.invalid").port(0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, app::start);
        assertTrue(e.getMessage().startsWith("could not "), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-host.invalid:0"), e.getMessage());
    }

    @Test
    void hostThatIsNotOursThrows() {
        // 192.0.2.1 (TEST-NET-1) is never an address of a test machine
        WebApp app = WebApp.builder().host("192.0.2.1").port(0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, app::start);
        assertEquals("could not listen on 192.0.2.1:0: '192.0.2.1' is not an address of this machine", e.getMessage());
    }

    @Test
    void failingStartupHookThrowsItsExceptionAndClosesTheListener() throws Exception {
        int[] port = new int[1];
        WebApp app = WebApp.builder().host("127.0.0.1").port(0)
                .onStartup("db", () -> {
                    throw new IOException("database unreachable");
                })
                .build();
        IOException e = assertThrows(IOException.class, app::start);
        assertEquals("database unreachable", e.getMessage());
        // a fresh start on the same builder works: the failed start left nothing behind
        try (RunningApp r = WebApp.builder().host("127.0.0.1").port(0).build().start()) {
            port[0] = r.port();
            assertTrue(port[0] > 0);
        }
    }

    @Test
    void aSecondAppOnTheSamePortFailsAndTheFirstKeepsServing() throws Exception {
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).get("/x", req -> WebResponse.text("x")).build();
        try (RunningApp first = app.start()) {
            WebApp second = WebApp.builder().host("127.0.0.1").port(first.port()).build();
            IllegalStateException e = assertThrows(IllegalStateException.class, second::start);
            assertTrue(e.getMessage().contains("127.0.0.1:" + first.port() + ": port " + first.port() + " is already in use"),
                    e.getMessage());
            assertEquals("x", Raw.get(first.uri(), "/x").body());
        }
    }
}
