package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** TaskGroup.launch: the void form of spawn. */
class LaunchTest {
    private final AtomicInteger count = new AtomicInteger();

    private void work() {
        count.incrementAndGet();
    }

    private int value() {
        return count.incrementAndGet();
    }

    @Test
    void launchRunsAVoidBodyAndItsTaskEndsWithNull() throws Exception {
        Task<Void> t = TaskGroup.run(g -> {
            Task<Void> a = g.launch(this::work);
            g.launch("named", () -> work());
            g.launch(() -> {
                work();
            });
            return a;
        });
        assertEquals(3, count.get());
        assertNull(t.join());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void spawnOfAValueLambdaStillReturnsItsValue() throws Exception {
        // spawn has no void overload: an expression lambda is always a Callable, never ambiguous
        int v = TaskGroup.run(g -> g.spawn(() -> value()).join());
        assertEquals(1, v);
        Integer w = TaskGroup.run(g -> g.spawn(this::value).join());
        assertEquals(2, w);
    }

    @Test
    void aCheckedFailureOfALaunchedTaskFailsTheGroupAndCancelsTheOthers() {
        CountDownLatch never = new CountDownLatch(1);
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            Task<Void> blocked = g.launch(never::await);
            g.launch(() -> {
                throw new IOException("disk gone");
            });
            return blocked;
        }));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(1, e.failures().size());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void cancelledLaunchedTaskEndsCancelled() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Task<Void> t = TaskGroup.run(g -> {
            Task<Void> x = g.launch(() -> {
                started.countDown();
                new CountDownLatch(1).await();
            });
            started.await();
            x.cancel();
            return x;
        });
        assertEquals(Task.State.CANCELLED, t.state());
    }
}
