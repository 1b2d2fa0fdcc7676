package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The registry: one {@link Check} per {@link Rule}. */
final class Checks {
    private static final Map<Rule, Check> ALL = new EnumMap<>(Rule.class);

    static {
        for (Check c : List.of(new Weft101NetworkInNonBlocking(), new Weft102ProcessInNonBlocking(),
                new Weft103FileInNonBlocking(), new Weft104DnsInNonBlocking(), new Weft105ConsoleInNonBlocking(),
                new Weft106SleepInNonBlocking(), new Weft107WaitInNonBlocking(), new Weft108UntimedWait(),
                new Weft109BlockingInStaticInit(), new Weft201SynchronizedBlockingPins(),
                new Weft202BlockingWhileHoldingLock(), new Weft203PooledVirtualThreads(),
                new Weft204BlockingOnPlatformPool(), new Weft205ThreadLocalCacheOnVirtual(),
                new Weft206NoopThreadApiOnVirtual(), new Weft301IgnoredTaskResult(),
                new Weft302AsyncWithoutExecutor(), new Weft303InterruptSwallowed(), new Weft304SleepPollingLoop(),
                new Weft305SleepInTest())) {
            if (ALL.put(c.rule(), c) != null) {
                throw new IllegalStateException("two checks for " + c.rule());
            }
        }
        for (Rule r : Rule.values()) {
            if (!ALL.containsKey(r)) {
                throw new IllegalStateException("no check for " + r);
            }
        }
    }

    private Checks() {
    }

    /** The checks of the enabled rules, in rule order. */
    static List<Check> enabled(Set<Rule> rules) {
        List<Check> out = new ArrayList<>();
        for (Map.Entry<Rule, Check> e : ALL.entrySet()) {
            if (rules.contains(e.getKey())) {
                out.add(e.getValue());
            }
        }
        return List.copyOf(out);
    }

    /** The check of one rule. */
    static Check of(Rule rule) {
        return ALL.get(rule);
    }
}
