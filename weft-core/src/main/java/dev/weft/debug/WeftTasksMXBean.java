package dev.weft.debug;

/**
 * The JMX view of Weft's task tree, registered as {@value Debug#MBEAN_NAME} in debug mode (or by
 * {@link Debug#registerMBean()}). {@code weft tasks <pid>} reads it through the Attach API.
 */
public interface WeftTasksMXBean {
    /**
     * The task tree as text, one node a line (what {@link Debug#dumpText()} returns).
     *
     * @return the tree
     */
    String getTreeText();

    /**
     * The task tree as JSON (what {@link Debug#dumpJson()} returns).
     *
     * @return the tree
     */
    String getTreeJson();

    /**
     * Cancels a live task, group or cancel scope by id.
     *
     * @param id a {@link DebugNode#id()}
     * @return a sentence saying what was done (cancelled, already cancelled, no such live node)
     */
    String cancel(long id);
}
