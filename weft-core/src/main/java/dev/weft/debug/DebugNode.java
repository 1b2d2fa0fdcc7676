package dev.weft.debug;

import java.time.Duration;
import java.util.List;

/**
 * One live node of the task tree at the moment of a {@linkplain Debug#snapshot() snapshot}: the
 * root of a {@code Weft.run}, a task group, a task, or a cancel scope. Parents are given by id; the
 * snapshot lists parents before children.
 *
 * @param id registry id, unique for the life of the JVM (what {@code weft tasks --cancel} takes)
 * @param parentId id of the nearest registered enclosing node (0: none; a top-level group)
 * @param kind what the node is
 * @param name the task's or group's name, or the cancel scope's label
 * @param state {@code RUNNING} (a task, a root, an active cancel scope), {@code OPEN} or
 *     {@code CLOSING} (a group waiting for its tasks to end)
 * @param cancelled why the node itself was cancelled ({@code explicit}, {@code deadline},
 *     {@code failure}, {@code closed}, {@code signal}), or null if it was not
 * @param age time since the node was created
 * @param thread name of the thread that runs the task or entered the scope
 * @param threadState the {@link Thread.State} of that thread now
 * @param waitingOn what the task waits on in a Weft call ({@code Limiter ...}, {@code join task ...},
 *     {@code sleep}, {@code channel ...}), or null if it is not in one
 * @param waitingFor how long it has waited there (zero if not waiting)
 * @param deadlineRemaining time left until the node's own deadline (negative: passed), or null if it
 *     has none
 * @param spawnSite where the node was created (debug mode captures it), outermost frames last
 */
public record DebugNode(long id, long parentId, Kind kind, String name, String state, String cancelled,
        Duration age, String thread, String threadState, String waitingOn, Duration waitingFor,
        Duration deadlineRemaining, List<StackTraceElement> spawnSite) {

    /** What a node is. */
    public enum Kind {
        /** The root scope of a {@code Weft.run}. */
        ROOT,
        /** A {@code TaskGroup}. */
        GROUP,
        /** A {@code Task}. */
        TASK,
        /** A {@code CancelScope} (also the scopes of {@code Timeouts}). */
        CANCEL_SCOPE
    }

    /** Copies the spawn site. */
    public DebugNode {
        spawnSite = spawnSite == null ? List.of() : List.copyOf(spawnSite);
    }
}
