package dev.weft.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or method) with {@link WeftExtension}: each test fails if it
 * <ul>
 *   <li>left a Weft task, group or cancel scope running when it returned;</li>
 *   <li>left a task failure unread (a supervisor group's task failed and nobody read its outcome),
 *       or one was reported when its handle was garbage collected;</li>
 *   <li>pinned a carrier thread longer than the pinning threshold (JFR {@code jdk.VirtualThreadPinned};
 *       pins that JFR delivers after the test has ended fail the class, naming the test);</li>
 *   <li>made a blocking Weft call on a thread that must not block, or a group's close waited on
 *       tasks that ignore their interrupt, or {@code Weft.run} returned with tasks still running.</li>
 * </ul>
 * A {@link dev.weft.VirtualTime} parameter is injected, and the test method runs inside it: every
 * sleep, timeout and retry delay of the test (and of the tasks it spawns) is on virtual time and
 * runs instantly.
 *
 * {@snippet :
 * @WeftTest
 * class RetryTest {
 *     @Test
 *     void retriesThreeTimes(VirtualTime time) throws Exception {
 *         retry.call(() -> flakyCall());             // the backoff sleeps take no real time
 *         assertEquals(Duration.ofMillis(300), time.elapsed());
 *     }
 * }
 * }
 *
 * <p>The checks need Weft debug mode, which weft-test turns on for the whole test JVM when the
 * JUnit launcher starts (unless {@code -Dweft.debug=false}); without it only virtual time is
 * provided. The thresholds are debug mode's ({@code -Dweft.debug.pinThreshold}, default 20 ms).
 * Tests must not run in parallel within a JVM: reports are attributed to the test that was running.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(WeftExtension.class)
public @interface WeftTest {
    /**
     * Whether a test fails when it leaves tasks running or failures unread (default true).
     *
     * @return true to check
     */
    boolean checkLeaks() default true;

    /**
     * Whether a test fails when a carrier was pinned during it (default true). The class waits
     * once, after its last test, for JFR to deliver late pinning events (about a second).
     *
     * @return true to check
     */
    boolean checkPinning() default true;
}
