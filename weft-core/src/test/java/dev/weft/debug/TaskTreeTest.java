package dev.weft.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Limiter;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The task tree of a three-level program: Weft.run, groups, tasks, a cancel scope, and what each task waits on. */
@Tag("debug-mode")
class TaskTreeTest {

    @Test
    void dumpShowsThreeLevelsWithWaitsDeadlinesAndSpawnSites() throws Exception {
        assertTrue(Debug.isEnabled());
        CountDownLatch ready = new CountDownLatch(3);
        CountDownLatch inspected = new CountDownLatch(1);
        Limiter limiter = Limiter.of(1);
        String[] text = new String[1];
        String[] json = new String[1];
        List<DebugNode>[] snap = newList();
        Weft.run(() -> TaskGroup.run(crawler -> {
            crawler.spawn("site-a", () -> {
                try (TaskGroup pages = TaskGroup.open("pages")) {
                    pages.spawn("page-1", () -> {
                        try (var p = limiter.acquire()) { // holds the only permit until inspected
                            ready.countDown();
                            inspected.await();
                        }
                        return null;
                    });
                    pages.spawn("page-2", () -> {
                        ready.countDown();
                        try (var p = limiter.acquire()) { // waits on the limiter
                            return null;
                        }
                    });
                    CancelScope.after(Duration.ofHours(1)).call(() -> {
                        ready.countDown();
                        inspected.await();
                        return null;
                    });
                }
                return null;
            });
            crawler.spawn("inspector", () -> {
                ready.await();
                // page-2 is counted down before it blocks: wait until the registry shows it waiting
                while (Debug.snapshot().stream().noneMatch(n -> n.name().equals("page-2") && n.waitingOn() != null)) {
                    Weft.sleep(Duration.ofMillis(1));
                }
                snap[0] = Debug.snapshot();
                text[0] = Debug.dumpText();
                json[0] = Debug.dumpJson();
                inspected.countDown();
                return null;
            });
            return null;
        }));

        Map<String, DebugNode> byName = snap[0].stream().collect(Collectors.toMap(DebugNode::name, Function.identity(),
                (a, b) -> a));
        DebugNode root = byName.get("Weft.run");
        assertNotNull(root, text[0]);
        assertEquals(DebugNode.Kind.ROOT, root.kind());
        DebugNode crawler = snap[0].stream().filter(n -> n.kind() == DebugNode.Kind.GROUP && n.parentId() == root.id())
                .findFirst().orElseThrow();
        DebugNode site = byName.get("site-a");
        DebugNode pages = byName.get("pages");
        DebugNode page1 = byName.get("page-1");
        DebugNode page2 = byName.get("page-2");
        assertEquals(crawler.id(), site.parentId());
        assertEquals(site.id(), pages.parentId());
        assertEquals(pages.id(), page1.parentId());
        assertEquals(pages.id(), page2.parentId());
        assertEquals(DebugNode.Kind.TASK, page2.kind());
        assertTrue(page2.waitingOn().startsWith("Limiter"), page2.waitingOn());
        assertNull(page1.waitingOn(), "page-1 waits on a CountDownLatch, which Weft does not mark");
        DebugNode scope = snap[0].stream().filter(n -> n.kind() == DebugNode.Kind.CANCEL_SCOPE).findFirst().orElseThrow();
        assertEquals(pages.id(), scope.parentId(), "the cancel scope was entered by site-a's body inside 'pages'");
        assertNotNull(scope.deadlineRemaining());
        assertTrue(scope.deadlineRemaining().compareTo(Duration.ofMinutes(59)) > 0, "" + scope.deadlineRemaining());
        assertEquals("OPEN", pages.state());
        assertTrue(page1.spawnSite().get(0).getClassName().startsWith(TaskTreeTest.class.getName()),
                "spawn site starts at the caller: " + page1.spawnSite());
        assertTrue(snap[0].indexOf(site) < snap[0].indexOf(page1), "parents before children");

        assertTrue(text[0].contains("task 'page-2' RUNNING"), text[0]);
        assertTrue(text[0].contains("waiting on Limiter"), text[0]);
        assertTrue(text[0].contains("deadline in"), text[0]);
        assertTrue(text[0].indexOf("'site-a'") < text[0].indexOf("'pages'") && text[0].indexOf("'pages'")
                < text[0].indexOf("'page-1'"), text[0]);
        assertTrue(text[0].contains("      #" + page1.id() + " task 'page-1'"), "page-1 is indented three levels below the root group:\n" + text[0]);
        assertTrue(json[0].contains("\"name\":\"page-2\""), json[0]);
        assertTrue(json[0].contains("\"parent\":" + pages.id()), json[0]);
        assertTrue(json[0].startsWith("{\"pid\":" + ProcessHandle.current().pid()), json[0]);

        assertTrue(Debug.snapshot().stream().noneMatch(n -> n.name().equals("page-1") || n.name().equals("pages")),
                "ended nodes leave the registry: " + Debug.dumpText());
        assertTrue(!Thread.currentThread().isInterrupted());
    }

    @Test
    void tasksBlockedOnAChannelAQueueAnEventAndASelectShowWhatTheyWaitOn() throws Exception {
        dev.weft.channel.Channel<String> channel = dev.weft.channel.Channel.buffered(1);
        dev.weft.channel.WorkQueue<String> queue = dev.weft.channel.WorkQueue.fifo(0);
        dev.weft.channel.Event event = new dev.weft.channel.Event();
        dev.weft.channel.Channel<String> other = dev.weft.channel.Channel.rendezvous();
        Map<String, String> waits = new java.util.HashMap<>();
        TaskGroup.run(g -> {
            g.spawn("on-channel", channel::receive);
            g.spawn("on-queue", queue::get);
            g.spawn("on-event", () -> {
                event.await();
                return null;
            });
            g.spawn("on-select", () -> dev.weft.channel.Select.select(other.receiveClause(), channel.receiveClause()));
            java.util.Set<String> names = java.util.Set.of("on-channel", "on-queue", "on-event", "on-select");
            while (Debug.snapshot().stream().filter(n -> names.contains(n.name()) && n.waitingOn() != null).count() < 4) {
                Weft.sleep(Duration.ofMillis(1)); // polls observable state: each task marks itself when it parks
            }
            Debug.snapshot().stream().filter(n -> names.contains(n.name())).forEach(n -> waits.put(n.name(), n.waitingOn()));
            String text = Debug.dumpText();
            assertTrue(text.contains("waiting on Channel@"), text);
            channel.send("a");
            channel.send("b");
            queue.put("c");
            event.set();
            return null;
        });
        assertTrue(waits.get("on-channel").startsWith("Channel@"), waits.toString());
        assertTrue(waits.get("on-queue").startsWith("WorkQueue@"), waits.toString());
        assertTrue(waits.get("on-event").startsWith("Event@"), waits.toString());
        assertTrue(waits.get("on-select").startsWith("SelectInstance@"), waits.toString());
        assertTrue(!Thread.currentThread().isInterrupted());
    }

    @Test
    void cancelByIdCancelsTheTask() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        TaskGroup.run(g -> {
            var t = g.spawn("victim", () -> {
                started.countDown();
                Weft.sleep(Duration.ofHours(1));
                return null;
            });
            started.await();
            long id = Debug.snapshot().stream().filter(n -> n.name().equals("victim")).findFirst().orElseThrow().id();
            String said = Debug.cancel(id);
            assertTrue(said.startsWith("cancelled task 'victim'"), said);
            assertEquals(dev.weft.Task.State.CANCELLED, t.outcome() instanceof dev.weft.Outcome.Cancelled<?>
                    ? dev.weft.Task.State.CANCELLED : t.state());
            assertTrue(Debug.cancel(id).startsWith("no live task"), "an ended task is gone");
            return null;
        });
    }

    @Test
    void badSettingsAreRefusedWithTheReason() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Debug.setHogThreshold(Duration.ZERO));
        assertEquals("hog threshold must be positive, got PT0S", e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<DebugNode>[] newList() {
        return (List<DebugNode>[]) new List<?>[1];
    }
}
