package dev.weft.channel;

import static dev.weft.channel.ChannelTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Select: behavioural cases in the spirit of jox's SelectReceive/SelectSend tests. */
class SelectTest {

    @Test
    void selectReceivesFromTheFirstReadyChannelBiased() throws Exception {
        Channel<String> a = Channel.buffered(1);
        Channel<String> b = Channel.buffered(1);
        a.send("a1");
        b.send("b1");
        assertEquals("a1", Select.select(a.receiveClause(), b.receiveClause()));
        assertEquals("b1", Select.select(a.receiveClause(), b.receiveClause()));
    }

    @Test
    void selectSendToTheFirstWithRoom() throws Exception {
        Channel<String> a = Channel.buffered(1);
        Channel<String> b = Channel.buffered(1);
        a.send("v0");
        String which = Select.select(a.sendClause("v1", () -> "a"), b.sendClause("v2", () -> "b"));
        assertEquals("b", which);
        assertEquals("v0", a.receive());
        assertEquals("v2", b.receive());
    }

    @Test
    void defaultClauseIsTakenWhenNothingIsReady() throws Exception {
        Channel<String> a = Channel.rendezvous();
        assertEquals("none", Select.select(a.receiveClause(), Select.defaultClause(() -> "none")));
        assertThrows(IllegalArgumentException.class,
                () -> Select.select(Select.defaultClause(() -> 1), Select.defaultClause(() -> 2)));
    }

    @Test
    void selectWaitsAndExactlyOneClauseCompletes() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.rendezvous();
        String r = TaskGroup.run(g -> {
            Task<String> sel = g.spawn(() -> Select.select(a.receiveClause(v -> "a:" + v), b.receiveClause(v -> "b:" + v)));
            await("select waits on both", () -> a.waitingReceivers() == 1 && b.waitingReceivers() == 1);
            b.send("x");
            String got = sel.join();
            assertEquals(0, a.waitingReceivers(), "the select left nothing on the other channel");
            assertEquals(Optional.empty(), Select.selectWithin(Duration.ZERO, a.receiveClause()));
            return got;
        });
        assertEquals("b:x", r);
    }

    @Test
    void selectSendAgainstSelectReceiveOnRendezvousChannels() throws Exception {
        for (int round = 0; round < 200; round++) {
            Channel<String> a = Channel.rendezvous();
            Channel<String> b = Channel.rendezvous();
            List<String> results = TaskGroup.run(g -> {
                Task<String> sender = g.spawn(() -> Select.select(a.sendClause("v1", () -> "1"), b.sendClause("v2", () -> "2")));
                Task<String> receiver = g.spawn(() -> Select.select(a.receiveClause(), b.receiveClause()));
                return List.of(sender.join(), receiver.join());
            });
            assertEquals(results.get(0).equals("1") ? "v1" : "v2", results.get(1));
        }
    }

    @Test
    void selectOnADoneChannelReportsIt() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.rendezvous();
        b.done();
        assertEquals(new ChannelResult.Done<>(), Select.selectOrClosed(a.sendClause("v1"), b.sendClause("v2")));
        assertThrows(ChannelDoneException.class, () -> Select.select(a.receiveClause(), b.receiveClause()));
    }

    @Test
    void selectWithinTimesOutOnVirtualTimeAndLeavesNothingBehind() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Channel<String> a = Channel.rendezvous();
        Optional<String> r = time.run(() -> Select.selectWithin(Duration.ofSeconds(30), a.receiveClause()));
        assertEquals(Optional.empty(), r);
        assertEquals(Duration.ofSeconds(30), time.elapsed());
        assertEquals(0, a.waitingReceivers());
    }

    @Test
    void cancelledSelectTakesNothing() throws Exception {
        Channel<String> a = Channel.rendezvous();
        TaskGroup.run(g -> {
            Task<String> sel = g.spawn(() -> Select.select(a.receiveClause()));
            await("select waits", () -> a.waitingReceivers() == 1);
            sel.cancel();
            assertTrue(sel.outcome() instanceof Outcome.Cancelled);
            assertEquals(0, a.waitingReceivers());
            return null;
        });
        assertTrue(a.trySend("v") == false, "no receiver is left to take it");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16})
    void manySelectSendersAndSelectReceiversLoseAndDuplicateNothing(int capacity) throws Exception {
        int channels = 4;
        int msgs = 500;
        List<Channel<String>> chs = new ArrayList<>();
        for (int i = 0; i < channels; i++) {
            chs.add(capacity == 0 ? Channel.rendezvous() : Channel.buffered(capacity));
        }
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<String> duplicates = new ArrayList<>();
        TaskGroup.run(g -> {
            for (int r = 0; r < 2; r++) {
                g.spawn(() -> {
                    for (int i = 0; i < channels * msgs / 2; i++) {
                        @SuppressWarnings("unchecked")
                        SelectClause<String>[] clauses = chs.stream().map(Channel::receiveClause).toArray(SelectClause[]::new);
                        String v = Select.select(clauses);
                        if (!received.add(v)) {
                            synchronized (duplicates) {
                                duplicates.add(v);
                            }
                        }
                    }
                    return null;
                });
            }
            for (int s = 0; s < 2; s++) {
                int sender = s;
                g.spawn(() -> {
                    for (int i = 0; i < channels * msgs / 2; i++) {
                        String v = "v" + sender + "_" + i;
                        Select.select(chs.stream().map(c -> c.sendClause(v)).toArray(SelectClause[]::new));
                    }
                    return null;
                });
            }
            return null;
        });
        assertEquals(List.of(), duplicates);
        Set<String> expected = new HashSet<>();
        for (int s = 0; s < 2; s++) {
            for (int i = 0; i < channels * msgs / 2; i++) {
                expected.add("v" + s + "_" + i);
            }
        }
        assertEquals(expected, received);
    }
}
