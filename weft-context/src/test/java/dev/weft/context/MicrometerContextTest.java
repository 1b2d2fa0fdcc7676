package dev.weft.context;

import static dev.weft.context.Contexts.NOTHING;
import static dev.weft.context.Contexts.enter;
import static dev.weft.context.Contexts.expected;
import static dev.weft.context.Contexts.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.ContextPropagation;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The SLF4J MDC (Logback's, a plain ThreadLocal), an OpenTelemetry span and context key, and a user
 * ThreadLocal, carried by MicrometerContext into every kind of Weft task (issue 16).
 */
class MicrometerContextTest {
    private ContextPropagation.Registration reg;

    private void install() {
        reg = MicrometerContext.install(Contexts.registry());
    }

    @AfterEach
    void cleanUp() {
        if (reg != null) {
            reg.close();
        }
        Contexts.clear();
        assertFalse(ContextPropagation.isActive());
        assertEquals(NOTHING, seen(), "the test thread was left with context");
    }

    @Test
    void withoutTheBridgeATaskSeesNoneOfItsSpawnersContext() throws Exception {
        try (Scope s = enter("r0", "00f067aa0ba902b7")) {
            assertEquals(expected("r0", "00f067aa0ba902b7"), seen());
            assertEquals(NOTHING, TaskGroup.run(g -> g.spawn(Contexts::seen).join())); // the baseline this module fixes
        }
    }

    @Test
    void grandchildrenAndEveryKindOfTaskSeeTheSpawnersContext() throws Exception {
        install();
        String want = expected("r1", "00f067aa0ba902b7");
        try (Scope s = enter("r1", "00f067aa0ba902b7")) {
            List<String> seen = new ArrayList<>();
            seen.add(TaskGroup.run(g -> g.spawn(() -> TaskGroup.run(g2 -> g2.spawn(Contexts::seen).join())).join()));
            seen.addAll(Weft.map(List.of(1, 2), 2, i -> seen()));
            seen.add(Weft.race(List.of(Contexts::seen)));
            seen.addAll(Weft.gather(List.of(Contexts::seen, () -> Weft.offload(Contexts::seen))));
            seen.add(Weft.run(Contexts::seen));
            TaskGroup.run(g -> {
                List<Task<String>> ts = List.of(g.spawn(Contexts::seen), g.spawn(Contexts::seen));
                for (Task<String> t : Weft.asCompleted(ts)) {
                    seen.add(t.join());
                }
                return null;
            });
            assertEquals(List.of(want, want, want, want, want, want, want, want, want), seen);
            assertEquals(want, seen(), "the spawner's own context");
        }
    }

    @Test
    void aTaskSeesTheSpawnTimeSnapshotAndItsChangesNeverReachTheSpawner() throws Exception {
        install();
        try (Scope s = enter("r2", "1111111111111111")) {
            CountDownLatch spawnerChanged = new CountDownLatch(1);
            List<String> seen = TaskGroup.run(g -> {
                Task<List<String>> t = g.spawn(() -> {
                    spawnerChanged.await();
                    String atStart = seen();
                    try (Scope inner = enter("child", "2222222222222222")) {
                        String grandchild = TaskGroup.run(g2 -> g2.spawn(Contexts::seen).join());
                        return List.of(atStart, seen(), grandchild);
                    }
                });
                try (Scope later = enter("later", "3333333333333333")) {
                    spawnerChanged.countDown();
                    List<String> r = new ArrayList<>(t.join());
                    r.add(seen());
                    return r;
                }
            });
            assertEquals(List.of(expected("r2", "1111111111111111"), expected("child", "2222222222222222"),
                    expected("child", "2222222222222222"), expected("later", "3333333333333333")), seen);
            MDC.put("requestId", "r2");
            Contexts.TENANT.set("tenant-r2");
            assertEquals(expected("r2", "1111111111111111"), seen());
        }
    }

    @Test
    void siblingsNeverSeeEachOthersContext() throws Exception {
        install();
        try (Scope s = enter("parent", "4444444444444444")) {
            int n = 8;
            CountDownLatch allSet = new CountDownLatch(n);
            List<String> seen = TaskGroup.run(g -> {
                List<Task<String>> ts = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    String id = "sib" + i;
                    String span = String.format("%016x", 0x5000 + i);
                    ts.add(g.spawn(() -> {
                        try (Scope mine = enter(id, span)) {
                            allSet.countDown();
                            allSet.await(); // every sibling has set its own before anyone reads
                            return seen();
                        }
                    }));
                }
                List<String> r = new ArrayList<>();
                for (Task<String> t : ts) {
                    r.add(t.join());
                }
                return r;
            });
            for (int i = 0; i < n; i++) {
                assertEquals(expected("sib" + i, String.format("%016x", 0x5000 + i)), seen.get(i));
            }
            assertEquals(expected("parent", "4444444444444444"), seen());
        }
    }

    @Test
    void aReusedOffloadThreadNeverShowsOneCallersContextToAnother() throws Exception {
        install();
        // More calls than offload threads, so threads are reused; bodies dirty their thread and some fail.
        for (int i = 0; i < 12; i++) {
            int n = i;
            Scope s = i % 2 == 0 ? enter("call" + i, String.format("%016x", 0x6000 + i)) : null;
            String want = s == null ? NOTHING : expected("call" + i, String.format("%016x", 0x6000 + i));
            try {
                String[] in = new String[1];
                Callable<String> body = () -> {
                    in[0] = seen();
                    MDC.put("requestId", "dirty" + n);
                    Contexts.TENANT.set("dirty");
                    enter("dirty" + n, "7777777777777777"); // a scope never closed by the body
                    if (n % 3 == 0) {
                        throw new IllegalStateException("boom " + n);
                    }
                    return in[0];
                };
                if (n % 3 == 0) {
                    assertThrows(IllegalStateException.class, () -> Weft.offload(body::call));
                } else {
                    Weft.offload(body::call);
                }
                assertEquals(want, in[0], "call " + n);
                assertEquals(want, seen(), "the caller after call " + n);
            } finally {
                if (s != null) {
                    s.close();
                }
                Contexts.clear();
            }
        }
    }

    @Test
    void failureAndCancellationPutBackAReusedThreadsOwnContext() throws Exception {
        install();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            pool.submit(() -> {
                MDC.put("requestId", "pool");
                Contexts.TENANT.set("tenant-pool");
            }).get();
            String poolOwn = "pool|tenant-pool|-|-";
            try (Scope s = enter("caller", "8888888888888888")) {
                Callable<String> failing = ContextPropagation.wrap(() -> {
                    MDC.put("requestId", "changed");
                    throw new IllegalStateException("boom");
                });
                ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(failing).get());
                assertEquals("boom", e.getCause().getMessage());
                assertEquals(poolOwn, pool.submit(Contexts::seen).get());

                CountDownLatch started = new CountDownLatch(1);
                String[] inside = new String[1];
                Callable<String> blocking = ContextPropagation.wrap(() -> {
                    inside[0] = seen();
                    started.countDown();
                    new CountDownLatch(1).await(); // until cancelled
                    return "never";
                });
                var f = pool.submit(blocking);
                started.await();
                f.cancel(true);
                assertEquals(expected("caller", "8888888888888888"), inside[0]);
                assertEquals(poolOwn, pool.submit(Contexts::seen).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aCancelledTaskLeavesItsSpawnerUntouched() throws Exception {
        install();
        try (Scope s = enter("r3", "9999999999999999")) {
            CountDownLatch started = new CountDownLatch(1);
            Outcome<String> o = TaskGroup.run(g -> {
                Task<String> t = g.spawn(() -> {
                    enter("inside", "aaaaaaaaaaaaaaaa");
                    started.countDown();
                    new CountDownLatch(1).await();
                    return "never";
                });
                started.await();
                t.cancel();
                return t.outcome();
            });
            assertTrue(o instanceof Outcome.Cancelled<String>, o.toString());
            assertEquals(expected("r3", "9999999999999999"), seen());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void anAccessorRegisteredAfterInstallIsCarriedToo() throws Exception {
        var registry = new io.micrometer.context.ContextRegistry();
        reg = MicrometerContext.install(registry);
        Contexts.TENANT.set("t");
        assertEquals("-", TaskGroup.run(g -> g.spawn(() -> String.valueOf(Contexts.TENANT.get() == null ? "-" : "x")).join()));
        registry.registerThreadLocalAccessor("tenant", Contexts.TENANT);
        assertEquals("t", TaskGroup.run(g -> g.spawn(Contexts.TENANT::get).join()));
    }
}
