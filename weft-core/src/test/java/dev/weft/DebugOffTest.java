package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.debug.Debug;
import org.junit.jupiter.api.Test;

/** The suite runs with debug mode off: the debug API says so clearly and records nothing. */
class DebugOffTest {

    @Test
    void debugModeIsOffAndCannotBeTurnedOnLate() throws Exception {
        TaskGroup.run(g -> g.spawn(() -> 1).join()); // Weft has been used: the mode is decided
        assertFalse(Debug.isEnabled());
        assertTrue(Debug.snapshot().isEmpty());
        assertTrue(Debug.unreadFailures().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, Debug::enable);
        assertTrue(e.getMessage().contains("call Debug.enable() before any other Weft call"), e.getMessage());
        IllegalStateException j = assertThrows(IllegalStateException.class, Debug::dumpJson);
        assertTrue(j.getMessage().contains("-Dweft.debug=true"), j.getMessage());
        assertEquals(0, Debug.lastId());
        assertTrue(Debug.dumpText().contains("debug mode is off"));
    }
}
