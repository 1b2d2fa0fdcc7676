package dev.weft.test;

import dev.weft.VirtualTime;
import dev.weft.debug.Debug;
import dev.weft.debug.DebugListener;
import dev.weft.debug.DebugNode;
import dev.weft.debug.DebugReport;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link WeftTest}; see there for what it checks. Register it with
 * {@code @WeftTest} (or {@code @ExtendWith(WeftExtension.class)}, which checks everything).
 *
 * <p>Design: Weft's debug registry hands out ids that only grow, so a test's tasks are those with
 * an id above the mark taken before it and up to the mark taken after it; a report is the test's
 * if it names one of those tasks, or names no task and was made while the test ran. One listener
 * per test class collects reports; after each test the live tree, the unread failures and the
 * reports so far are checked; after the class, once JFR has delivered its late pinning events, the
 * pins are checked again.
 */
public final class WeftExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver, InvocationInterceptor {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(WeftExtension.class);
    private static final System.Logger LOG = System.getLogger("dev.weft.test");
    /** Report kinds that fail a test; {@code CARRIER_HOG} is only logged (CPU-bound tests are legitimate). */
    private static final Set<DebugReport.Kind> FAILING = EnumSet.of(DebugReport.Kind.PINNED,
            DebugReport.Kind.UNOBSERVED_FAILURE, DebugReport.Kind.RUNNING_AT_EXIT, DebugReport.Kind.SLOW_CLOSE,
            DebugReport.Kind.BLOCKING_IN_WRONG_PLACE);
    private static volatile boolean offSaid;

    /** Created by JUnit. */
    public WeftExtension() {
    }

    /** A test's span: ids in (first, last], wall time [start, end]. */
    private static final class Window {
        final String test;
        final long first;
        final Instant start;
        volatile long last = Long.MAX_VALUE;
        volatile Instant end = Instant.MAX;
        final Set<DebugReport> counted = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Window(String test, long first, Instant start) {
            this.test = test;
            this.first = first;
            this.start = start;
        }

        boolean owns(DebugReport r) {
            if (r.taskId() != 0) {
                return r.taskId() > first && r.taskId() <= last;
            }
            return !r.at().isBefore(start) && !r.at().isAfter(end);
        }
    }

    /** Per test class: the listener and the windows of its tests. */
    private static final class ClassState implements DebugListener, ExtensionContext.Store.CloseableResource {
        final List<DebugReport> reports = new CopyOnWriteArrayList<>();
        final List<Window> windows = new CopyOnWriteArrayList<>();

        @Override
        public void onReport(DebugReport report) {
            reports.add(report);
        }

        @Override
        public void close() {
            Debug.removeListener(this);
        }
    }

    private static boolean debugOn() {
        if (Debug.isEnabled()) {
            return true;
        }
        if (!offSaid) {
            offSaid = true;
            LOG.log(Level.WARNING, "Weft debug mode is off in this JVM: @WeftTest injects virtual time but checks"
                    + " nothing (weft-test turns it on unless -Dweft.debug=false, or Weft was used before JUnit started)");
        }
        return false;
    }

    private static Optional<WeftTest> config(ExtensionContext ctx) {
        Optional<WeftTest> m = ctx.getElement().flatMap(e -> AnnotationSupport.findAnnotation(e, WeftTest.class));
        return m.isPresent() ? m : ctx.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, WeftTest.class));
    }

    private static boolean checkLeaks(ExtensionContext ctx) {
        return config(ctx).map(WeftTest::checkLeaks).orElse(true);
    }

    private static boolean checkPinning(ExtensionContext ctx) {
        return config(ctx).map(WeftTest::checkPinning).orElse(true);
    }

    @Override
    public void beforeAll(ExtensionContext ctx) {
        if (!debugOn()) {
            return;
        }
        ClassState s = new ClassState();
        Debug.addListener(s);
        ctx.getStore(NS).put(ClassState.class, s);
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        ClassState s = classState(ctx);
        if (s == null) {
            return;
        }
        Window w = new Window(ctx.getDisplayName(), Debug.lastId(), Instant.now());
        s.windows.add(w);
        ctx.getStore(NS).put(Window.class, w);
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        ClassState s = classState(ctx);
        Window w = ctx.getStore(NS).get(Window.class, Window.class);
        if (s == null || w == null) {
            return;
        }
        w.last = Debug.lastId();
        w.end = Instant.now();
        List<String> problems = new ArrayList<>();
        if (checkLeaks(ctx)) {
            List<DebugNode> live = Debug.snapshot().stream().filter(n -> n.id() > w.first && n.id() <= w.last).toList();
            if (!live.isEmpty()) {
                StringBuilder sb = new StringBuilder("it left " + live.size() + " Weft task(s), group(s) or scope(s)"
                        + " running:");
                for (DebugNode n : live) {
                    sb.append(System.lineSeparator()).append("    #").append(n.id()).append(' ')
                            .append(n.kind().name().toLowerCase(java.util.Locale.ROOT)).append(" '").append(n.name())
                            .append("' ").append(n.state())
                            .append(n.spawnSite().isEmpty() ? "" : ", created at " + n.spawnSite().get(0));
                }
                problems.add(sb.toString());
            }
            for (DebugReport r : Debug.unreadFailures()) {
                if (w.owns(r)) {
                    problems.add(r.toString());
                }
            }
        }
        for (DebugReport r : s.reports) {
            if (counts(ctx, r) && w.owns(r) && w.counted.add(r)) {
                problems.add(r.toString());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Weft: the test " + w.test + " " + String.join(System.lineSeparator() + "and ",
                    problems));
        }
    }

    private static boolean counts(ExtensionContext ctx, DebugReport r) {
        if (!FAILING.contains(r.kind())) {
            return false;
        }
        if (r.kind() == DebugReport.Kind.PINNED) {
            return checkPinning(ctx);
        }
        return checkLeaks(ctx);
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        ClassState s = classState(ctx);
        if (s == null || !checkPinning(ctx) || s.windows.stream().noneMatch(w -> w.last > w.first)) {
            return; // no Weft task ran in this class: no pin can be attributed to it
        }
        Debug.awaitJfrDelivery(Duration.ofSeconds(10));
        List<String> late = new ArrayList<>();
        for (DebugReport r : s.reports) {
            if (r.kind() != DebugReport.Kind.PINNED) {
                continue;
            }
            for (Window w : s.windows) {
                if (w.owns(r) && w.counted.add(r)) {
                    late.add("the test " + w.test + ": " + r);
                }
            }
        }
        if (!late.isEmpty()) {
            throw new AssertionError("Weft: pinning reported after the test ended, in " + String.join(
                    System.lineSeparator() + "and in ", late));
        }
    }

    private static ClassState classState(ExtensionContext ctx) {
        for (Optional<ExtensionContext> c = Optional.of(ctx); c.isPresent(); c = c.get().getParent()) {
            ClassState s = c.get().getStore(NS).get(ClassState.class, ClassState.class);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    // ---- virtual time

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext ctx) throws ParameterResolutionException {
        return p.getParameter().getType() == VirtualTime.class && p.getDeclaringExecutable() instanceof Method;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext ctx) throws ParameterResolutionException {
        if (ctx.getStore(NS).get(VirtualTime.class) != null) {
            throw new ParameterResolutionException("a @WeftTest method takes at most one VirtualTime parameter");
        }
        VirtualTime time = p.isAnnotated(ManualTime.class) ? VirtualTime.manual() : VirtualTime.autoAdvancing();
        ctx.getStore(NS).put(VirtualTime.class, time);
        return time;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext ctx) throws Throwable {
        VirtualTime time = ctx.getStore(NS).get(VirtualTime.class, VirtualTime.class);
        if (time == null) {
            invocation.proceed();
            return;
        }
        Throwable[] thrown = new Throwable[1];
        time.run(() -> {
            try {
                invocation.proceed();
            } catch (Throwable t) {
                thrown[0] = t;
            }
            return null;
        });
        if (thrown[0] != null) {
            throw thrown[0];
        }
    }
}
