package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ContextPropagation (issue 16): ScopedValue keys and a plain ThreadLocal carrier (the SPI's contract,
 * as weft-context's Micrometer bridge implements it) follow every kind of task with spawn-time
 * snapshots, never leak into the spawner or a sibling, and leave a reused thread as it was.
 */
class ContextPropagationTest {
    private static final ScopedValue<String> REQUEST = ScopedValue.newInstance();
    private static final ScopedValue<String> OTHER = ScopedValue.newInstance();
    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();

    private final List<ContextPropagation.Registration> regs = new ArrayList<>();

    /** A ThreadLocal carrier written to the SPI's contract: snapshot at capture, restore in finally. */
    static final class LocalCarrier implements ContextCarrier {
        final AtomicInteger captures = new AtomicInteger();

        @Override
        public Snapshot capture() {
            captures.incrementAndGet();
            String v = LOCAL.get();
            return new Snapshot() {
                @Override
                public <T> T call(Callable<T> body) throws Exception {
                    String prev = LOCAL.get();
                    LOCAL.set(v); // null too: the task sees exactly its spawner's value
                    try {
                        return body.call();
                    } finally {
                        LOCAL.set(prev);
                    }
                }
            };
        }
    }

    @AfterEach
    void unregister() {
        regs.forEach(ContextPropagation.Registration::close);
        LOCAL.remove();
        assertFalse(ContextPropagation.isActive(), "a registration outlived its test");
    }

    private LocalCarrier local() {
        LocalCarrier c = new LocalCarrier();
        regs.add(ContextPropagation.register(c));
        return c;
    }

    @Test
    void withNothingRegisteredWrapReturnsTheWorkItself() {
        Callable<String> work = () -> "x";
        Runnable r = () -> { };
        assertSame(work, ContextPropagation.wrap(work));
        assertSame(r, ContextPropagation.wrap(r));
        assertFalse(ContextPropagation.isActive());
    }

    @Test
    void aSpawnRefusedByAFailingGroupCapturesNoContext() throws Exception {
        LocalCarrier c = local();
        AtomicInteger refused = new AtomicInteger();
        assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            Task<Void> failer = g.launch(() -> {
                throw new IllegalStateException("boom");
            });
            TestSupport.await("the failer has ended", failer::isDone); // polls: the body itself is being cancelled
            for (int i = 0; i < 3; i++) {
                assertThrows(IllegalStateException.class, () -> g.spawn(() -> "late"));
                refused.incrementAndGet();
            }
            return null;
        }));
        assertEquals(3, refused.get());
        assertEquals(1, c.captures.get(), "one capture for the task that failed; the refused spawns captured nothing");
    }

    @Test
    void withoutInheritAScopedValueIsNotSeenInATask() throws Exception {
        String seen = ScopedValue.where(REQUEST, "r-1").call(() ->
                TaskGroup.run(g -> g.spawn(() -> REQUEST.orElse("unbound")).join()));
        assertEquals("unbound", seen); // the baseline the registry fixes: this test would fail if Weft inherited by itself
    }

    @Test
    void anInheritedScopedValueIsSeenInGrandchildrenMapRaceGatherOffloadAndRun() throws Exception {
        regs.add(ContextPropagation.inherit(REQUEST));
        List<String> seen = ScopedValue.where(REQUEST, "r-2").call(() -> {
            List<String> out = new ArrayList<>();
            out.add(TaskGroup.run(g -> g.spawn(() -> TaskGroup.run(g2 -> g2.spawn(REQUEST::get).join())).join()));
            out.addAll(Weft.map(List.of(1, 2), 2, i -> REQUEST.get() + "/" + i));
            out.add(Weft.race(List.of(REQUEST::get)));
            out.addAll(Weft.gather(List.of(REQUEST::get, () -> Weft.offload(REQUEST::get))));
            return out;
        });
        assertEquals(List.of("r-2", "r-2/1", "r-2/2", "r-2", "r-2", "r-2"), seen);
        assertEquals("r-2", ScopedValue.where(REQUEST, "r-2").call(() -> Weft.run(REQUEST::get)));
    }

    @Test
    void anUnboundKeyStaysUnboundAndOnlyBoundKeysAreRebound() throws Exception {
        regs.add(ContextPropagation.inherit(REQUEST));
        regs.add(ContextPropagation.inherit(OTHER));
        regs.add(ContextPropagation.inherit(REQUEST)); // twice: harmless
        String seen = ScopedValue.where(OTHER, "o").call(() -> TaskGroup.run(g ->
                g.spawn(() -> REQUEST.isBound() + " " + OTHER.get()).join()));
        assertEquals("false o", seen);
    }

    @Test
    void aClosedRegistrationIsNoLongerCarriedAndCloseIsIdempotent() throws Exception {
        ContextPropagation.Registration r = ContextPropagation.inherit(REQUEST);
        r.close();
        r.close();
        assertFalse(ContextPropagation.isActive());
        String seen = ScopedValue.where(REQUEST, "r").call(() ->
                TaskGroup.run(g -> g.spawn(() -> REQUEST.orElse("unbound")).join()));
        assertEquals("unbound", seen);
    }

    @Test
    void aTaskSeesTheSpawnTimeSnapshotNotTheSpawnersLaterChange() throws Exception {
        local();
        LOCAL.set("before");
        CountDownLatch changed = new CountDownLatch(1);
        String seen = TaskGroup.run(g -> {
            Task<String> t = g.spawn(() -> {
                changed.await(); // runs only after the spawner changed its value
                return LOCAL.get();
            });
            LOCAL.set("after");
            changed.countDown();
            return t.join();
        });
        assertEquals("before", seen);
        assertEquals("after", LOCAL.get());
    }

    @Test
    void aChangeInsideATaskIsSeenByItsChildrenButNeverByItsParentOrSiblings() throws Exception {
        local();
        LOCAL.set("parent");
        CountDownLatch bothSet = new CountDownLatch(2);
        List<String> seen = TaskGroup.run(g -> {
            Task<String> a = g.spawn(() -> {
                LOCAL.set("a");
                bothSet.countDown();
                bothSet.await();
                return LOCAL.get() + ":" + TaskGroup.run(g2 -> g2.spawn(LOCAL::get).join());
            });
            Task<String> b = g.spawn(() -> {
                LOCAL.set("b");
                bothSet.countDown();
                bothSet.await();
                return LOCAL.get() + ":" + TaskGroup.run(g2 -> g2.spawn(LOCAL::get).join());
            });
            return List.of(a.join(), b.join(), LOCAL.get());
        });
        assertEquals(List.of("a:a", "b:b", "parent"), seen);
        assertEquals("parent", LOCAL.get());
    }

    @Test
    void aSpawnerWithNoValueGivesItsTaskNoValueEvenOnAReusedOffloadThread() throws Exception {
        local();
        // More calls than offload threads: pool threads are reused. A body that sets the value must not
        // leave it for the next call, and a caller with no value must give its body no value.
        for (int i = 0; i < 12; i++) {
            String mine = i % 2 == 0 ? "call-" + i : null;
            LOCAL.set(mine);
            int n = i;
            String[] in = new String[1];
            Callable<String> body = () -> {
                in[0] = LOCAL.get();
                LOCAL.set("dirty-" + n);
                if (n % 3 == 0) {
                    throw new IllegalStateException("boom " + n); // the failure path restores too
                }
                return in[0];
            };
            if (n % 3 == 0) {
                assertEquals("boom " + n, assertThrows(IllegalStateException.class, () -> Weft.offload(body::call))
                        .getMessage());
            } else {
                Weft.offload(body::call);
            }
            assertEquals(mine, in[0], "call " + n);
            assertEquals(mine, LOCAL.get(), "the caller's own value, call " + n);
        }
    }

    private static final class Boom extends RuntimeException {
        Boom() {
            super("boom");
        }
    }

    @Test
    void failureAndCancellationRestoreTheThreadsOwnValue() throws Exception {
        local();
        ExecutorService pool = Executors.newSingleThreadExecutor(); // a reused platform thread we own
        try {
            pool.submit(() -> LOCAL.set("pool-own")).get();
            LOCAL.set("caller");
            Callable<String> failing = ContextPropagation.wrap(() -> {
                LOCAL.set("changed");
                throw new Boom();
            });
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(failing).get());
            assertTrue(e.getCause() instanceof Boom, e.toString());
            assertEquals("pool-own", pool.submit(LOCAL::get).get());

            CountDownLatch started = new CountDownLatch(1);
            Callable<String> blocking = ContextPropagation.wrap(() -> {
                assertEquals("caller", LOCAL.get());
                started.countDown();
                new CountDownLatch(1).await(); // until cancelled
                return "never";
            });
            var f = pool.submit(blocking);
            started.await();
            f.cancel(true);
            assertEquals("pool-own", pool.submit(LOCAL::get).get());
            assertFalse(pool.submit(() -> Thread.currentThread().isInterrupted()).get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCancelledTaskStillRestoresAndItsSpawnerKeepsItsValue() throws Exception {
        local();
        LOCAL.set("parent");
        CountDownLatch started = new CountDownLatch(1);
        String seen = TaskGroup.run(g -> {
            Task<String> t = g.spawn(() -> {
                LOCAL.set("child");
                started.countDown();
                new CountDownLatch(1).await();
                return "never";
            });
            started.await();
            t.cancel();
            return t.outcome() instanceof Outcome.Cancelled<String> ? "cancelled" : "not cancelled";
        });
        assertEquals("cancelled", seen);
        assertEquals("parent", LOCAL.get());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aCarrierWhoseCaptureThrowsIsSkippedAndTheTaskRuns() throws Exception {
        regs.add(ContextPropagation.register(() -> {
            throw new IllegalStateException("broken carrier");
        }));
        LocalCarrier c = local();
        LOCAL.set("v");
        assertEquals("v", TaskGroup.run(g -> g.spawn(LOCAL::get).join()));
        assertEquals(1, c.captures.get());
    }

    @Test
    void carriersApplyInRegistrationOrderFirstOutermost() throws Exception {
        List<String> order = new ArrayList<>();
        for (String name : List.of("first", "second")) {
            regs.add(ContextPropagation.register(() -> new ContextCarrier.Snapshot() {
                @Override
                public <T> T call(Callable<T> body) throws Exception {
                    synchronized (order) {
                        order.add("enter " + name);
                    }
                    try {
                        return body.call();
                    } finally {
                        synchronized (order) {
                            order.add("leave " + name);
                        }
                    }
                }
            }));
        }
        TaskGroup.run(g -> g.spawn(() -> 1).join());
        assertEquals(List.of("enter first", "enter second", "leave second", "leave first"), order);
    }

    @Test
    void aCarrierIsCapturedOnTheSpawningThreadOncePerTask() throws Exception {
        LocalCarrier c = local();
        Thread caller = Thread.currentThread();
        List<Thread> capturedOn = new ArrayList<>();
        regs.add(ContextPropagation.register(() -> {
            synchronized (capturedOn) {
                capturedOn.add(Thread.currentThread());
            }
            return null; // nothing to carry: the task runs its body as it is
        }));
        assertEquals(List.of(1, 2, 3), Weft.map(List.of(1, 2, 3), 3, i -> i));
        assertEquals(3, c.captures.get());
        assertEquals(List.of(caller, caller, caller), capturedOn);
        assertNull(LOCAL.get());
    }
}
