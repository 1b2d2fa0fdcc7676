package dev.weft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code weft} command line. Each sub-command is its own class, registered below. */
@Command(name = "weft", mixinStandardHelpOptions = true, version = "weft 0.1.0",
        description = "Weft: structured concurrency for Java virtual threads.",
        subcommands = {DemoCommand.class, ScanCommand.class, FetchCommand.class, ServeCommand.class, NewCommand.class,
            TasksCommand.class, AotTrainCommand.class})
public final class Main implements Runnable {

    /** Creates the top-level command; {@link #execute(String...)} makes a fresh one for every run. */
    public Main() {
    }

    /** Run with no sub-command: prints the usage (the sub-commands and options) to standard output. */
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * The program's entry point: runs {@link #execute(String...)} and exits the JVM with its code.
     *
     * @param args the command line, for example {@code fetch --concurrency 64 urls.txt}
     */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /**
     * Runs the command line in this JVM without exiting it (the tests call this; {@link #main} exits
     * with the result). Usage errors are reported on standard error by picocli, not thrown.
     *
     * @param args the command line, as {@link #main} receives it
     * @return the exit code: 0 ok, 1 findings or failure, 2 usage error, 130 interrupted (each
     *     sub-command's help lists its own codes, e.g. 3 for an unreachable Redis in {@code fetch})
     */
    public static int execute(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
