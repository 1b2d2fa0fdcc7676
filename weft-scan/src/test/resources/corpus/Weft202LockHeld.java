package corpus;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

class Weft202LockHeld {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private String state;

    void flagged(Path p, HttpClient client, HttpRequest req) throws Exception {
        synchronized (this) {
            state = client.send(req, HttpResponse.BodyHandlers.ofString()).body(); // expect: WEFT202
        }
        if (lock.tryLock(1, SECONDS)) {
            try {
                Thread.sleep(5); // expect: WEFT202
            } finally {
                lock.unlock();
            }
        }
    }

    // ---- look-alikes ----
    void notFlagged(Path p) throws Exception {
        synchronized (this) {
            Files.writeString(p, state); // serialising writers of one file is what the lock is for
        }
        String copy;
        synchronized (this) {
            copy = state;
        }
        Files.writeString(p, copy);
        if (lock.tryLock(1, SECONDS)) {
            try {
                boolean signalled = changed.await(1, SECONDS);
            } finally {
                lock.unlock();
            }
        }
        Thread.sleep(5);
        synchronized (this) {
            Runnable later = () -> sleepQuietly();
        }
    }

    static void sleepQuietly() {
    }

    synchronized java.net.SocketAddress address(java.net.InetAddress host) {
        return new java.net.InetSocketAddress(resolved(host), 80); // no lookup: an address is given
    }

    private java.net.InetAddress resolved(java.net.InetAddress host) {
        return host;
    }
}
