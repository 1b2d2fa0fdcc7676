/**
 * Weft's JUnit 5 extension: {@link dev.weft.test.WeftTest}. Turns Weft debug mode on for the test
 * JVM (a launcher-session listener) and fails each test that leaks a task, pins a carrier, or
 * leaves a task failure unread; injects virtual time.
 */
module dev.weft.test {
    requires transitive dev.weft.core;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.launcher;
    requires org.junit.platform.commons;

    exports dev.weft.test;

    provides org.junit.platform.launcher.LauncherSessionListener
            with dev.weft.test.internal.DebugModeSessionListener;
}
