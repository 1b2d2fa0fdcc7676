package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Runs the samples of docs/debugging.md (debug mode is on: weft-test turns it on for the test JVM). */
class DebuggingTest {
    @Test
    void dumpShowsTheHolderAndTheWaiterOnTheLimiter() throws Exception {
        String tree = Debugging.treeOfAStuckProgram();
        System.out.println(tree);
        assertTrue(tree.contains("task 'holder' RUNNING"), tree);
        assertTrue(tree.contains("task 'waiter' RUNNING"), tree);
    }
}
