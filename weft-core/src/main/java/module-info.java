/**
 * Weft core: structured concurrency for Java virtual threads. Task groups, cancellation scopes,
 * deadlines, limiters, and (in {@code dev.weft.channel}) channels and work queues. No dependencies
 * beyond the JDK.
 */
module dev.weft.core {
    requires jdk.unsupported; // sun.misc.Signal: SIGINT/SIGTERM cancel Weft.run's root scope
    requires jdk.jfr;         // debug mode: pinning reports from an in-process RecordingStream, Weft's JFR events
    requires java.management; // debug mode: the task-tree MBean that `weft tasks <pid>` reads

    exports dev.weft;
    exports dev.weft.channel;
    exports dev.weft.debug;
}
