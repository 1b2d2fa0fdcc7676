package dev.weft.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The server killed (SIGKILL) and restarted mid-run: clear errors while down, nothing acknowledged lost (AOF). */
@ExtendWith(RedisServerExtension.class)
@Timeout(60)
class RedisRestartTest {

    @Test
    void killedAndRestartedServerKeepsEveryAcknowledgedItem(RedisServer server) throws Exception {
        try (Redis redis = server.connect();
             RedisWorkQueue<String> q = RedisWorkQueue.builder(redis, "restart", Codec.strings())
                     .consumer("worker-1").pollInterval(Duration.ofMillis(20)).build()) {
            for (int i = 0; i < 100; i++) {
                q.put("item-" + i); // returned: acknowledged by the server
            }
            Set<String> done = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                done.add(q.get());
                q.taskDone();
            }
            String inHand = q.get(); // delivered, not acknowledged when the server dies

            server.kill();
            RedisUnavailableException down = assertThrows(RedisUnavailableException.class, () -> q.put("lost?"));
            assertTrue(down.getMessage().contains("is unreachable") && down.getMessage().contains(String.valueOf(server.port())),
                    down.getMessage());
            assertThrows(RedisUnavailableException.class, q::get);
            assertThrows(RedisUnavailableException.class, q::taskDone); // the ack of inHand did not land

            server.start(); // same port and directory: the AOF is replayed
            assertEquals(60, q.unfinished());
            Set<String> rest = new HashSet<>();
            while (rest.size() < 60) {
                String s = q.get(); // inHand comes back first (this consumer's own pending entry)
                assertTrue(rest.add(s), "twice: " + s);
                q.taskDone();
            }
            assertTrue(rest.contains(inHand));
            rest.addAll(done);
            assertEquals(100, rest.size());
            assertEquals(0, q.unfinished());
        }
    }
}
