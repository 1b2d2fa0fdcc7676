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
    WEFT101("blocking-io-in-nonblocking", Severity.ERROR, true,
            "blocking network or database call in a non-blocking context"),
    WEFT102("process-in-nonblocking", Severity.ERROR, true,
            "process spawn or wait in a non-blocking context"),
    WEFT103("file-io-in-nonblocking", Severity.ERROR, true,
            "file I/O in a non-blocking context"),
    WEFT104("dns-in-nonblocking", Severity.ERROR, true,
            "DNS lookup in a non-blocking context"),
    WEFT105("console-input-in-nonblocking", Severity.ERROR, true,
            "console input in a non-blocking context"),
    WEFT106("sleep-in-nonblocking", Severity.ERROR, true,
            "Thread.sleep in a non-blocking context"),
    WEFT107("wait-in-nonblocking", Severity.ERROR, true,
            "waiting on a future, latch, queue, lock or thread in a non-blocking context"),
    WEFT108("wait-without-timeout", Severity.INFO, false,
            "wait with no timeout"),
    WEFT109("blocking-in-static-initializer", Severity.WARNING, true,
            "blocking work in a static initializer"),
    WEFT201("synchronized-blocking-pins", Severity.WARNING, true,
            "blocking call inside synchronized pins the carrier before JDK 24"),
    WEFT202("blocking-while-holding-lock", Severity.WARNING, true,
            "sleeping or I/O while holding a lock"),
    WEFT203("pooled-virtual-threads", Severity.WARNING, true,
            "virtual threads in a fixed-size pool"),
    WEFT204("blocking-on-platform-pool", Severity.WARNING, true,
            "blocking work on a platform thread pool"),
    WEFT205("threadlocal-cache-on-virtual", Severity.WARNING, true,
            "ThreadLocal cache reached from a virtual thread"),
    WEFT206("noop-thread-api-on-virtual", Severity.WARNING, true,
            "thread API that does nothing on a virtual thread"),
    WEFT301("ignored-task-result", Severity.WARNING, true,
            "result of a task-starting call is ignored (orphaned task, lost failure)"),
    WEFT302("async-without-executor", Severity.WARNING, true,
            "*Async stage with no executor runs on the common pool"),
    WEFT303("interrupt-swallowed", Severity.ERROR, true,
            "caught InterruptedException is neither rethrown nor re-asserted"),
    WEFT304("sleep-polling-loop", Severity.WARNING, true,
            "sleep loop used for polling"),
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

    /** The stable id, e.g. {@code WEFT101}. */
    public String id() {
        return name();
    }

    /** A short kebab-case name, e.g. {@code sleep-in-nonblocking}. */
    public String slug() {
        return slug;
    }

    /** The rule's severity. */
    public Severity severity() {
        return severity;
    }

    /** Whether the rule runs when {@code --select} is not given ({@code WEFT108} is opt-in). */
    public boolean enabledByDefault() {
        return enabledByDefault;
    }

    /** One line saying what the rule flags. */
    public String title() {
        return title;
    }

    /** The rule's documentation page, relative to the repository root. */
    public String docPath() {
        return "docs/scan/" + id() + ".md";
    }

    /** Looks a rule up by id or slug, case-insensitively. */
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
