package dev.weft.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.Limiter;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.channel.Channel;
import dev.weft.channel.WorkQueue;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CoreMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    private FunctionTimer timer(String name, String... tags) {
        return registry.get(name).tags(tags).functionTimer();
    }

    @Test
    void limiterShowsBlockedWaitersThenTheirVirtualWaitTime() throws Exception {
        Limiter limiter = Limiter.of(1);
        new LimiterMetrics(limiter, "db").bindTo(registry);
        VirtualTime time = VirtualTime.manual();
        time.run(() -> TaskGroup.run(g -> {
            Limiter.Permit held = limiter.acquire();
            for (int i = 0; i < 3; i++) {
                g.launch(() -> limiter.run(() -> null));
            }
            Poll.until("three waiters", () -> limiter.waiting() == 3);
            assertEquals(3, gauge("weft.limiter.waiters", "name", "db"));
            assertEquals(1, gauge("weft.limiter.permits.in.use", "name", "db"));
            assertEquals(1, gauge("weft.limiter.permits.capacity", "name", "db"));
            assertEquals(0, timer("weft.limiter.wait", "name", "db").count());
            time.advance(Duration.ofSeconds(5));
            held.close();
            return null;
        }));
        assertEquals(0, gauge("weft.limiter.waiters", "name", "db"));
        assertEquals(0, gauge("weft.limiter.permits.in.use", "name", "db"));
        assertEquals(4, counter("weft.limiter.permits.acquired", "name", "db"));
        FunctionTimer wait = timer("weft.limiter.wait", "name", "db");
        assertEquals(3, wait.count());
        assertEquals(15.0, wait.totalTime(TimeUnit.SECONDS), 1e-9); // three waits of 5 virtual seconds
    }

    @Test
    void limiterCountsATimedOutWaitButNoPermit() throws Exception {
        Limiter limiter = Limiter.of(0);
        new LimiterMetrics(limiter, "none").bindTo(registry);
        VirtualTime time = VirtualTime.autoAdvancing();
        assertFalse(time.run(() -> limiter.tryAcquire(Duration.ofSeconds(2))).isPresent());
        assertEquals(1, timer("weft.limiter.wait", "name", "none").count());
        assertEquals(2.0, timer("weft.limiter.wait", "name", "none").totalTime(TimeUnit.SECONDS), 1e-9);
        assertEquals(0, counter("weft.limiter.permits.acquired", "name", "none"));
    }

    @Test
    void workQueueDepthItemsAndBlockedGetters() throws Exception {
        WorkQueue<String> q = WorkQueue.fifo(2);
        new WorkQueueMetrics(q, "jobs").bindTo(registry);
        q.put("a");
        q.put("b");
        assertFalse(q.tryPut("c"));
        assertEquals(2, gauge("weft.workqueue.size", "name", "jobs"));
        assertEquals(2, gauge("weft.workqueue.capacity", "name", "jobs"));
        assertEquals(2, counter("weft.workqueue.items.added", "name", "jobs"));
        assertEquals("a", q.get());
        q.taskDone();
        assertEquals(1, counter("weft.workqueue.items.taken", "name", "jobs"));
        assertEquals(1, counter("weft.workqueue.items.done", "name", "jobs"));
        assertEquals(1, gauge("weft.workqueue.unfinished", "name", "jobs"));
        assertEquals("b", q.get());
        VirtualTime time = VirtualTime.manual();
        List<String> got = time.run(() -> TaskGroup.run(g -> {
            Task<String> t1 = g.spawn(q::get);
            Task<String> t2 = g.spawn(q::get);
            Poll.until("two blocked getters", () -> q.stats().waitingGetters() == 2);
            assertEquals(2, gauge("weft.workqueue.waiting", "name", "jobs", "operation", "get"));
            time.advance(Duration.ofMillis(300));
            q.put("c"); // handed straight to a waiting getter
            q.put("d");
            return List.of(t1.join(), t2.join());
        }));
        assertEquals(List.of("c", "d"), got.stream().sorted().toList());
        assertEquals(0, gauge("weft.workqueue.waiting", "name", "jobs", "operation", "get"));
        assertEquals(4, counter("weft.workqueue.items.added", "name", "jobs"));
        assertEquals(4, counter("weft.workqueue.items.taken", "name", "jobs"));
        assertEquals(0, gauge("weft.workqueue.size", "name", "jobs"));
        FunctionTimer getWait = timer("weft.workqueue.wait", "name", "jobs", "operation", "get");
        assertEquals(2, getWait.count());
        assertEquals(0.6, getWait.totalTime(TimeUnit.SECONDS), 1e-9);
        assertEquals(0, timer("weft.workqueue.wait", "name", "jobs", "operation", "put").count());
    }

    @Test
    void channelCountsItemsThroughBufferHandOffAndDrops() throws Exception {
        Channel<Integer> ch = Channel.buffered(2, Channel.Overflow.DROP_OLDEST, null);
        new ChannelMetrics(ch, "lines").bindTo(registry);
        ch.send(1);
        ch.send(2);
        ch.send(3); // drops 1
        assertEquals(2, gauge("weft.channel.size", "name", "lines"));
        assertEquals(3, counter("weft.channel.items.sent", "name", "lines"));
        assertEquals(1, counter("weft.channel.items.undelivered", "name", "lines"));
        assertEquals(2, ch.receive());
        assertEquals(3, ch.receive());
        assertEquals(2, counter("weft.channel.items.received", "name", "lines"));
        VirtualTime time = VirtualTime.manual();
        int got = time.run(() -> TaskGroup.run(g -> {
            Task<Integer> r = g.spawn(ch::receive);
            Poll.until("a blocked receiver", () -> ch.stats().waitingReceivers() == 1);
            assertEquals(1, gauge("weft.channel.waiting", "name", "lines", "operation", "receive"));
            time.advance(Duration.ofSeconds(1));
            ch.send(4); // straight to the receiver
            return r.join();
        }));
        assertEquals(4, got);
        assertEquals(4, counter("weft.channel.items.sent", "name", "lines"));
        assertEquals(3, counter("weft.channel.items.received", "name", "lines"));
        assertEquals(0, gauge("weft.channel.size", "name", "lines"));
        FunctionTimer rw = timer("weft.channel.wait", "name", "lines", "operation", "receive");
        assertEquals(1, rw.count());
        assertEquals(1.0, rw.totalTime(TimeUnit.SECONDS), 1e-9);
    }

    @Test
    void rendezvousSenderWaitIsTimedAndCounted() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        new ChannelMetrics(ch, "rv").bindTo(registry);
        VirtualTime time = VirtualTime.manual();
        String got = time.run(() -> TaskGroup.run(g -> {
            g.launch(() -> ch.send("x"));
            Poll.until("a blocked sender", () -> ch.stats().waitingSenders() == 1);
            assertEquals(1, gauge("weft.channel.waiting", "name", "rv", "operation", "send"));
            time.advance(Duration.ofMillis(250));
            return ch.receive();
        }));
        assertEquals("x", got);
        assertEquals(1, counter("weft.channel.items.sent", "name", "rv"));
        assertEquals(1, counter("weft.channel.items.received", "name", "rv"));
        assertEquals(0.25, timer("weft.channel.wait", "name", "rv", "operation", "send").totalTime(TimeUnit.SECONDS),
                1e-9);
    }

    @Test
    void tasksStartedRunningAndEndedByOutcome() throws Exception {
        new TaskMetrics(Tags.of("app", "t")).bindTo(registry);
        double started = counter("weft.tasks.started");
        double ok = counter("weft.tasks.ended", "outcome", "success");
        double failed = counter("weft.tasks.ended", "outcome", "failure");
        double cancelled = counter("weft.tasks.ended", "outcome", "cancelled");
        double running = gauge("weft.tasks.running");
        CountDownLatch release = new CountDownLatch(1);
        List<Outcome<Object>> outcomes = TaskGroup.supervise(g -> {
            List<Task<Object>> ts = new ArrayList<>();
            ts.add(g.spawn(() -> "a"));
            ts.add(g.spawn(() -> {
                release.await();
                return "b";
            }));
            ts.add(g.spawn(() -> {
                throw new IllegalStateException("planned");
            }));
            Task<Object> sleeper = g.spawn(() -> {
                dev.weft.Weft.sleep(Duration.ofDays(1));
                return "never";
            });
            ts.add(sleeper);
            Poll.until("two tasks still running", () -> gauge("weft.tasks.running") == running + 2);
            sleeper.cancel();
            release.countDown();
            List<Outcome<Object>> out = new ArrayList<>();
            for (Task<Object> t : ts) {
                out.add(t.outcome());
            }
            return out;
        });
        assertEquals(4, outcomes.size());
        assertEquals(started + 4, counter("weft.tasks.started"));
        assertEquals(ok + 2, counter("weft.tasks.ended", "outcome", "success"));
        assertEquals(failed + 1, counter("weft.tasks.ended", "outcome", "failure"));
        assertEquals(cancelled + 1, counter("weft.tasks.ended", "outcome", "cancelled"));
        assertEquals(running, gauge("weft.tasks.running"));
    }

    @Test
    void aBinderWithoutANameSaysWhatToPass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LimiterMetrics(Limiter.of(1), " "));
        assertEquals("limiter metrics need a non-blank name: it becomes the tag 'name' that tells one limiter"
                + " from another", e.getMessage());
        assertThrows(NullPointerException.class, () -> new ChannelMetrics(null, "x"));
    }
}
