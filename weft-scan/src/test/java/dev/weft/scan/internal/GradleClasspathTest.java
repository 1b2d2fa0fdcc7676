package dev.weft.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradleClasspathTest {
    @TempDir
    Path dir;

    private Path touch(String rel) throws IOException {
        return write(rel, "x");
    }

    private Path write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsDependenciesOfEveryModuleAndTheVersionCatalogueFromTheCaches() throws IOException {
        write("proj/settings.gradle.kts", "include(\"core\")");
        write("proj/build.gradle.kts", "plugins { java }");
        write("proj/core/build.gradle.kts", """
                dependencies {
                    implementation("io.netty:netty-buffer:4.1.115.Final")
                    implementation(libs.vertx.core)
                    testImplementation('org.junit.jupiter:junit-jupiter')
                    implementation("com.example:not-cached:1.0")
                }
                """);
        write("proj/gradle/libs.versions.toml", """
                [versions]
                vertx = "4.5.10"

                [libraries]
                vertx-core = { module = "io.vertx:vertx-core", version.ref = "vertx" }
                picocli = { group = "info.picocli", name = "picocli", version = "4.7.7" }
                """);
        Files.createDirectories(dir.resolve("proj/core/build/classes/java/main"));
        Path src = write("proj/core/src/main/java/p/A.java", "package p; class A { }");
        Path cache = dir.resolve("gradle/caches/modules-2/files-2.1");
        Path netty = touch("gradle/caches/modules-2/files-2.1/io.netty/netty-buffer/4.1.115.Final/abc123/netty-buffer-4.1.115.Final.jar");
        Path vertx = touch("gradle/caches/modules-2/files-2.1/io.vertx/vertx-core/4.5.10/def456/vertx-core-4.5.10.jar");
        touch("gradle/caches/modules-2/files-2.1/org.junit.jupiter/junit-jupiter/5.9.0/0a/junit-jupiter-5.9.0.jar");
        Path junit = touch("gradle/caches/modules-2/files-2.1/org.junit.jupiter/junit-jupiter/5.10.1/0b/junit-jupiter-5.10.1.jar");
        Path picocli = touch("m2/info/picocli/picocli/4.7.7/picocli-4.7.7.jar");
        List<Path> cp = GradleClasspath.detect(List.of(src), dir.resolve("gradle"), dir.resolve("m2"));
        assertEquals(List.of(dir.resolve("proj/core/build/classes/java/main"), netty, junit, vertx, picocli), cp);
        assertEquals(cache.resolve("io.netty"), netty.getParent().getParent().getParent().getParent());
    }

    @Test
    void aDirectoryOutsideAnyGradleBuildGetsNothing() throws IOException {
        Path src = write("plain/A.java", "class A { }");
        assertEquals(List.of(), GradleClasspath.detect(List.of(src), dir.resolve("gradle"), dir.resolve("m2")));
    }
}
