package dev.weft.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** A small real demo of the core patterns (placeholder until the core lands in this file). */
@Command(name = "demo", description = "Runs a short demo of Weft's core patterns.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("weft demo");
        return 0;
    }
}
