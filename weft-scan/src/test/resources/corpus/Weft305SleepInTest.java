package corpus;

import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class Weft305SleepInTest {
    interface FakeClock {
        void sleep(long millis);
    }

    @Test
    void flagged() throws Exception {
        Thread.sleep(100); // expect: WEFT305
        TimeUnit.SECONDS.sleep(1); // expect: WEFT305
    }

    // ---- look-alikes ----
    @Test
    void notFlagged(FakeClock clock) throws Exception {
        clock.sleep(100);
        Weft.sleep(Duration.ofSeconds(1)); // virtual time in weft-test: no real sleep
        Thread.onSpinWait();
    }
}
