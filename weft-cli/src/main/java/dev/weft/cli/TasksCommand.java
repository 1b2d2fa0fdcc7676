package dev.weft.cli;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.weft.debug.Debug;
import dev.weft.debug.WeftTasksMXBean;
import java.util.List;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code weft tasks <pid>}: the task tree of a running JVM that uses Weft in debug mode (Python
 * 3.14's {@code python -m asyncio pstree}, aiomonitor's {@code ps} and {@code cancel}). Attaches
 * with the Attach API, starts the target's local JMX agent, and reads Weft's task-tree MBean
 * ({@value Debug#MBEAN_NAME}); all formatting happens in the target ({@link Debug#dumpText()}).
 */
final class TasksCommand extends Cli.Command {
    long pid;
    boolean json;
    Long cancel;

    /** How long {@code --cancel} waits for the target to exit when the connection broke before its reply. */
    Duration exitWait = Duration.ofSeconds(5);

    @Override
    String name() {
        return "tasks";
    }

    @Override
    List<String> description() {
        return List.of("Prints the Weft task tree of a running JVM: groups, tasks, cancel scopes with their deadlines, cancellation, what each task waits on and for how long, where it was spawned. The JVM must run Weft in debug mode (-Dweft.debug=true or WEFT_DEBUG=1) as the same user.");
    }

    @Override
    String summary() {
        return "Prints (or cancels in) the Weft task tree of a running JVM.";
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.positional("PID", "Process id of the JVM (see jps).", 1, 1, v -> pid = Cli.LONG.apply(v.getFirst()));
        spec.flag("--json", "Print the tree as JSON (one object; nodes list parents first).", () -> json = true);
        spec.option("--cancel", "TASK-ID", "Cancel the task, group or cancel scope with this id (the #N in the tree) instead of printing.", null, Cli.LONG, v -> cancel = v);
    }

    @Override
    int call() {
        if (pid <= 0) {
            err.println("weft tasks: PID must be a positive process id, got " + pid);
            return 2;
        }
        if (pid == ProcessHandle.current().pid()) {
            err.println("weft tasks: PID " + pid + " is this process; give the pid of the JVM to inspect (jps lists them)");
            return 2;
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            err.println("weft tasks: cannot attach to process " + pid + ": " + e.getMessage()
                    + " (is it a JVM, running as this user, without -XX:+DisableAttachMechanism?)");
            return 1;
        }
        try {
            String address = vm.startLocalManagementAgent();
            JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address));
            try {
                MBeanServerConnection mbs = c.getMBeanServerConnection();
                ObjectName name = new ObjectName(Debug.MBEAN_NAME);
                if (!mbs.isRegistered(name)) {
                    err.println("weft tasks: process " + pid + " has no Weft task tree (" + Debug.MBEAN_NAME
                            + " is not registered): start it with -Dweft.debug=true or WEFT_DEBUG=1, or call"
                            + " dev.weft.debug.Debug.enable() first thing in main");
                    return 1;
                }
                WeftTasksMXBean tasks = JMX.newMXBeanProxy(mbs, name, WeftTasksMXBean.class);
                if (cancel != null) {
                    return cancel(tasks);
                }
                out.print(json ? tasks.getTreeJson() + System.lineSeparator() : tasks.getTreeText());
                out.flush();
                return 0;
            } finally {
                closeAfterAnswer(c);
            }
        } catch (Exception e) {
            err.println("weft tasks: talking to process " + pid + " failed: " + e);
            return 1;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target went away: nothing to detach from
            }
        }
    }

    /**
     * Cancels task {@link #cancel}. Cancelling the task a program waits on can end the program, and its JVM
     * may exit before the reply reaches us: the call then fails with a broken connection. If the process has
     * exited by then, the request was delivered (the connection broke while waiting for the reply) and the
     * command says so and succeeds; otherwise the failure stands.
     */
    int cancel(WeftTasksMXBean tasks) throws Exception {
        String what = describe(tasks.getTreeText(), cancel);
        String said;
        try {
            said = tasks.cancel(cancel);
        } catch (Exception e) {
            if (!connectionBroke(e) || !exits(pid, exitWait)) {
                throw e;
            }
            out.println("cancelled " + what + "; process " + pid + " exited before it replied (the cancellation"
                    + " ended its program)");
            return 0;
        }
        out.println(said);
        return said.startsWith("cancelled") ? 0 : 1;
    }

    /**
     * Closes the connection once the answer is in: a failure to close is not the command's failure (a
     * cancellation that ended the target's program lets its JVM exit right after it replied, and closing
     * then breaks with {@code UnmarshalException}/{@code EOFException}).
     */
    static void closeAfterAnswer(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // the target went away after answering: nothing left to close
        }
    }

    /** The node's words as the target prints them ("task 'sleeper' #3"), from its line of the text tree. */
    static String describe(String tree, long id) {
        Matcher m = Pattern.compile("(?m)^\\s*#" + id + " (\\S+) '(.*?)' [A-Z_]+(,| CANCELLED|$)").matcher(tree);
        return m.find() ? m.group(1) + " '" + m.group(2) + "' #" + id : "#" + id;
    }

    private static boolean connectionBroke(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Whether process {@code pid} exits within {@code wait} (it was told to end its work just before). */
    private static boolean exits(long pid, Duration wait) throws InterruptedException {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        }
    }
}
