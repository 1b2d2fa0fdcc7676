package dev.weft.examples.pitfalls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Blocking while a class initializes: still pins a virtual thread on JDK 25. */
public final class ClassInitBlocking {
    private ClassInitBlocking() {
    }

    // tag::clinit-pin[]
    /** Settings read once, the first time the class is used: on whatever thread uses it first. */
    static final class Settings {
        static final String TEXT;

        static {
            try {
                TEXT = Files.readString(Path.of(System.getProperty("settings.file", "pom.xml")));
                Thread.sleep(30); // WRONG: stands for a slow remote config fetch in an initializer
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading settings", e);
            }
        }
    }
    // end::clinit-pin[]

    /**
     * Uses the settings (the first call initializes the class).
     *
     * @return the settings' length
     */
    public static int settingsLength() {
        return Settings.TEXT.length();
    }
}
