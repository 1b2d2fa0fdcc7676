package dev.weft.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Why a {@link WebApp}'s listener did not open. Helidon 4.5 logs the cause of a failed bind and
 * returns a stopped server instead of throwing, so the cause is found again by a probe: the same
 * bind, done here, whose exception says what went wrong.
 */
final class StartFailure {
    private StartFailure() {
    }

    static IllegalStateException listenFailed(String host, int port) {
        String where = host + ":" + port;
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return new IllegalStateException("could not listen on " + where + ": unknown host '" + host
                    + "' (give an IP address or a name this machine resolves)", e);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            String msg = String.valueOf(e.getMessage());
            String why = msg.contains("in use") ? "port " + port + " is already in use (another process listens on it;"
                    + " stop it or choose another port, 0 for a free one)"
                    : msg.contains("assign") ? "'" + host + "' is not an address of this machine"
                    : msg.contains("denied") ? "permission denied (ports below 1024 need privileges)"
                    : msg;
            return new IllegalStateException("could not listen on " + where + ": " + why, e);
        } catch (IOException | RuntimeException e) {
            return new IllegalStateException("could not listen on " + where + ": " + e, e);
        }
        return new IllegalStateException("could not listen on " + where
                + ": the listener failed to start (the web server logged the cause)");
    }
}
