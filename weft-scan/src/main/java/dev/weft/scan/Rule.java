package dev.weft.scan;

import java.util.Locale;
import java.util.Optional;

/**
 * The rules of {@code weft scan}. Ids are stable: a rule may be retired but its id is never
 * reused. Each rule has a page under {@code docs/scan/ID.md}.
 *
 * <p>Numbering: {@code WEFT1xx} blocking calls where they block something that must not block,
 * {@code WEFT2xx} virtual-thread hazards (pinning, pooling, thread-locals), {@code WEFT3xx} task
 * and cancellation misuse.
 */
public enum Rule {
    /** {@code blocking-io-in-nonblocking}, error: blocking network or database call in a non-blocking context. */
    WEFT101("blocking-io-in-nonblocking", Severity.ERROR, true,
            "blocking network or database call in a non-blocking context"),
    /** {@code process-in-nonblocking}, error: process spawn or wait in a non-blocking context. */
    WEFT102("process-in-nonblocking", Severity.ERROR, true,
            "process spawn or wait in a non-blocking context"),
    /** {@code file-io-in-nonblocking}, error: file I/O in a non-blocking context. */
    WEFT103("file-io-in-nonblocking", Severity.ERROR, true,
            "file I/O in a non-blocking context"),
    /** {@code dns-in-nonblocking}, error: DNS lookup in a non-blocking context. */
    WEFT104("dns-in-nonblocking", Severity.ERROR, true,
            "DNS lookup in a non-blocking context"),
    /** {@code console-input-in-nonblocking}, error: console input in a non-blocking context. */
    WEFT105("console-input-in-nonblocking", Severity.ERROR, true,
            "console input in a non-blocking context"),
    /** {@code sleep-in-nonblocking}, error: Thread.sleep in a non-blocking context. */
    WEFT106("sleep-in-nonblocking", Severity.ERROR, true,
            "Thread.sleep in a non-blocking context"),
    /** {@code wait-in-nonblocking}, error: waiting on a future, latch, queue, lock or thread in a non-blocking context. */
    WEFT107("wait-in-nonblocking", Severity.ERROR, true,
            "waiting on a future, latch, queue, lock or thread in a non-blocking context"),
    /** {@code wait-without-timeout}, info, off by default: wait with no timeout. */
    WEFT108("wait-without-timeout", Severity.INFO, false,
            "wait with no timeout"),
    /** {@code blocking-in-static-initializer}, warning: blocking work in a static initializer. */
    WEFT109("blocking-in-static-initializer", Severity.WARNING, true,
            "blocking work in a static initializer"),
    /** {@code synchronized-blocking-pins}, warning: blocking call inside synchronized pins the carrier before JDK 24. */
    WEFT201("synchronized-blocking-pins", Severity.WARNING, true,
            "blocking call inside synchronized pins the carrier before JDK 24"),
    /** {@code blocking-while-holding-lock}, warning: sleeping or I/O while holding a lock. */
    WEFT202("blocking-while-holding-lock", Severity.WARNING, true,
            "sleeping or I/O while holding a lock"),
    /** {@code pooled-virtual-threads}, warning: virtual threads in a fixed-size pool. */
    WEFT203("pooled-virtual-threads", Severity.WARNING, true,
            "virtual threads in a fixed-size pool"),
    /** {@code blocking-on-platform-pool}, warning: blocking work on a platform thread pool. */
    WEFT204("blocking-on-platform-pool", Severity.WARNING, true,
            "blocking work on a platform thread pool"),
    /** {@code threadlocal-cache-on-virtual}, warning: ThreadLocal cache reached from a virtual thread. */
    WEFT205("threadlocal-cache-on-virtual", Severity.WARNING, true,
            "ThreadLocal cache reached from a virtual thread"),
    /** {@code noop-thread-api-on-virtual}, warning: thread API that does nothing on a virtual thread. */
    WEFT206("noop-thread-api-on-virtual", Severity.WARNING, true,
            "thread API that does nothing on a virtual thread"),
    /** {@code ignored-task-result}, warning: result of a task-starting call is ignored (orphaned task, lost failure). */
    WEFT301("ignored-task-result", Severity.WARNING, true,
            "result of a task-starting call is ignored (orphaned task, lost failure)"),
    /** {@code async-without-executor}, warning: *Async stage with no executor runs on the common pool. */
    WEFT302("async-without-executor", Severity.WARNING, true,
            "*Async stage with no executor runs on the common pool"),
    /** {@code interrupt-swallowed}, error: caught InterruptedException is neither rethrown nor re-asserted. */
    WEFT303("interrupt-swallowed", Severity.ERROR, true,
            "caught InterruptedException is neither rethrown nor re-asserted"),
    /** {@code sleep-polling-loop}, warning: sleep loop used for polling. */
    WEFT304("sleep-polling-loop", Severity.WARNING, true,
            "sleep loop used for polling"),
    /** {@code sleep-in-test}, warning: Thread.sleep in a test. */
    WEFT305("sleep-in-test", Severity.WARNING, true,
            "Thread.sleep in a test");

    private final String slug;
    private final Severity severity;
    private final boolean enabledByDefault;
    private final String title;

    Rule(String slug, Severity severity, boolean enabledByDefault, String title) {
        this.slug = slug;
        this.severity = severity;
        this.enabledByDefault = enabledByDefault;
        this.title = title;
    }

    /**
     * The stable id, e.g. {@code WEFT101}.
     *
     * @return the id, the constant's name
     */
    public String id() {
        return name();
    }

    /**
     * A short kebab-case name, e.g. {@code sleep-in-nonblocking}.
     *
     * @return the slug
     */
    public String slug() {
        return slug;
    }

    /**
     * The rule's severity.
     *
     * @return the severity before any lowering for test sources
     */
    public Severity severity() {
        return severity;
    }

    /**
     * Whether the rule runs when {@code --select} is not given ({@code WEFT108} is opt-in).
     *
     * @return {@code true} if the rule runs by default
     */
    public boolean enabledByDefault() {
        return enabledByDefault;
    }

    /**
     * One line saying what the rule flags.
     *
     * @return the title
     */
    public String title() {
        return title;
    }

    /**
     * The rule's documentation page, relative to the repository root.
     *
     * @return the path of the documentation page
     */
    public String docPath() {
        return "docs/scan/" + id() + ".md";
    }

    /**
     * Looks a rule up by id or slug, case-insensitively.
     *
     * @param idOrSlug a rule's id ({@code WEFT101}) or slug ({@code blocking-io-in-nonblocking})
     * @return the rule, or empty if none matches
     */
    public static Optional<Rule> find(String idOrSlug) {
        String s = idOrSlug.trim();
        for (Rule r : values()) {
            if (r.name().equalsIgnoreCase(s) || r.slug.equals(s.toLowerCase(Locale.ROOT))) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
