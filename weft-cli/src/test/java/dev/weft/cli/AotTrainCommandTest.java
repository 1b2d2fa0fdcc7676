package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The launcher's training run ({@code weft aot-train}): it fetches every URL and stays quiet. */
class AotTrainCommandTest {
    @Test
    void theTrainingFetchGivesOneResultPerUrlAndPrintsNothing() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute("aot-train", "--urls", "60");
        } finally {
            System.setOut(out);
        }
        assertEquals(0, code); // 1 when the fetch gave fewer results than URLs
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void itIsNotListedInTheHelp() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Main.execute("--help");
        } finally {
            System.setOut(out);
        }
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains("aot-train"));
    }
}
