package dev.weft.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** The {@code weft} command line. Each sub-command is its own class, registered below. */
public final class Main {
    /** The sub-commands, in the order {@code weft --help} lists them; each run makes a fresh one. */
    private static final List<Supplier<Cli.Command>> COMMANDS = List.of(DemoCommand::new, ScanCommand::new,
            FetchCommand::new, ServeCommand::new, NewCommand::new, TasksCommand::new, AotTrainCommand::new);

    private Main() {
    }

    /**
     * The program's entry point: runs {@link #execute(String...)} and exits the JVM with its code. Code 0
     * with only daemon threads left returns instead, which ends the JVM with the same status and the
     * same shutdown hooks (ADR 0336).
     *
     * @param args the command line, for example {@code fetch --limit 64 urls.txt}
     */
    public static void main(String[] args) {
        int code = execute(args);
        if (code == 0 && onlyDaemonThreadsLeft()) {
            // Ends as the JVM ends when main returns: the same shutdown hooks as System.exit, without
            // Runtime.exit's own logging (JDK 21+ asks System.getLogger("java.lang.Runtime") whether to log
            // the exit, and the first logger of a process looks for the logging backend in every jar of
            // the class path: about 17 ms at the end of every run that logged nothing before)
            return;
        }
        System.exit(code);
    }

    /** Whether every live platform thread but this one is a daemon (virtual threads always are). */
    private static boolean onlyDaemonThreadsLeft() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        if (n == all.length) {
            return false; // more threads than the array holds: do not guess
        }
        for (int i = 0; i < n; i++) {
            if (all[i] != Thread.currentThread() && all[i].isAlive() && !all[i].isDaemon()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the command line in this JVM without exiting it (the tests call this; {@link #main} exits
     * with the result). Usage errors are reported on standard error, not thrown.
     *
     * @param args the command line, as {@link #main} receives it
     * @return the exit code: 0 ok, 1 findings or failure, 2 usage error, 130 interrupted (each
     *     sub-command's help lists its own codes, e.g. 3 for an unreachable Redis in {@code fetch})
     */
    public static int execute(String... args) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage(System.out);
            return 0;
        }
        if (args[0].equals("-V") || args[0].equals("--version")) {
            System.out.println(Cli.VERSION);
            return 0;
        }
        Cli.Command command = command(args[0]);
        if (command == null) {
            System.err.println("weft: unknown command '" + args[0] + "'");
            usage(System.err);
            return 2;
        }
        return Cli.execute(command, Arrays.copyOfRange(args, 1, args.length));
    }

    /** A fresh sub-command by name, or null. */
    static Cli.Command command(String name) {
        for (Supplier<Cli.Command> s : COMMANDS) {
            Cli.Command c = s.get();
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The top-level usage: the sub-commands (not the hidden ones) and what each does. */
    static void usage(PrintStream to) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: weft [-h] [-V] COMMAND [OPTIONS]\n");
        sb.append("Weft: structured concurrency for Java virtual threads.\n");
        sb.append("  -h, --help      Show this help and exit.\n");
        sb.append("  -V, --version   Print the version and exit.\n");
        sb.append("Commands:\n");
        for (Supplier<Cli.Command> s : COMMANDS) {
            Cli.Command c = s.get();
            if (!c.hidden()) {
                sb.append(String.format("  %-8s %s%n", c.name(), c.summary()));
            }
        }
        sb.append("Run 'weft COMMAND --help' for a command's options.\n");
        to.print(sb);
        to.flush();
    }
}
