package dev.weft.examples;

import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.channel.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The samples of {@code docs/mixing-sync-async.md}: calling blocking code from tasks, waiting for a
 * {@link CompletableFuture} inside a task, handing Weft work to a caller that wants a future,
 * turning a callback API into a channel, and locks that may be held while blocking.
 */
public final class MixingSyncAsync {
    private MixingSyncAsync() {
    }

    /** A stand-in for a blocking client library (JDBC, a SOAP stub...): it just blocks. */
    static final class LegacyClient {
        private final List<String> calls = new ArrayList<>();

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }

        String lookup(String key) throws InterruptedException {
            synchronized (this) {
                calls.add(key);
            }
            Thread.sleep(5); // blocking I/O; on a virtual thread it parks and frees the carrier
            return key.toUpperCase(java.util.Locale.ROOT);
        }
    }

    // tag::blocking-call-in-task[]
    static List<String> lookUpAll(LegacyClient client, List<String> keys) throws InterruptedException {
        // blocking code needs no wrapper in a task: each task is a virtual thread
        return Weft.map(keys, 10, client::lookup);
    }
    // end::blocking-call-in-task[]

    // tag::await-future[]
    static <T> T await(CompletableFuture<T> future) throws InterruptedException, ExecutionException {
        try {
            return future.get(); // blocks this virtual thread only
        } catch (InterruptedException e) {
            future.cancel(true); // we were cancelled: tell the producer we no longer want it
            throw e;
        }
    }

    static String priceWithin(CompletableFuture<String> quote) throws Exception {
        // the future's wait is bounded like any Weft wait: failAfter interrupts get()
        return Timeouts.failAfter(Duration.ofSeconds(1), () -> await(quote));
    }
    // end::await-future[]

    // tag::expose-future[]
    static CompletableFuture<ConcurrencyPatterns.Dashboard> dashboardAsync(Executor virtualThreads) {
        // for a caller that wants a future: run the structured code on a virtual thread, never
        // on the common pool (supplyAsync without an executor), and map cancellation
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ConcurrencyPatterns.dashboard();
            } catch (InterruptedException e) {
                Weft.restoreInterrupt();
                throw new CancellationException("dashboard cancelled");
            }
        }, virtualThreads);
    }
    // end::expose-future[]

    /** A stand-in for a library that delivers events to a listener on its own thread. */
    static final class Ticker {
        void subscribe(Consumer<String> onEvent, Runnable onEnd) {
            Thread.ofPlatform().name("ticker-io").start(() -> {
                for (int i = 0; i < 5; i++) {
                    onEvent.accept("tick " + i);
                }
                onEnd.run();
            });
        }
    }

    // tag::callback-to-channel[]
    static List<String> collectTicks(Ticker ticker) throws InterruptedException {
        Channel<String> events = Channel.unbounded(); // the callback must never block its thread
        ticker.subscribe(
                event -> events.trySend(event), // always succeeds on an unbounded channel
                events::done);                  // end of stream: the loop below ends
        List<String> got = new ArrayList<>();
        for (String e : events) {               // consume at our pace, on our (virtual) thread
            got.add(e);
        }
        return got;
    }
    // end::callback-to-channel[]

    // tag::lock-while-blocking[]
    static final ReentrantLock TOKEN_LOCK = new ReentrantLock();
    static String token;

    static String refreshToken(LegacyClient auth) throws InterruptedException {
        TOKEN_LOCK.lockInterruptibly(); // not synchronized: a lock held across I/O, cancellable wait
        try {
            if (token == null) {
                token = auth.lookup("token");
            }
            return token;
        } finally {
            TOKEN_LOCK.unlock();
        }
    }
    // end::lock-while-blocking[]

    // tag::sync-entry[]
    static List<String> fromPlainCode(LegacyClient client) throws InterruptedException {
        // a synchronous method that wants structured concurrency just opens a group
        return TaskGroup.run(group -> {
            var a = group.spawn(() -> client.lookup("a"));
            var b = group.spawn(() -> client.lookup("b"));
            return List.of(a.join(), b.join());
        });
    }
    // end::sync-entry[]
}
