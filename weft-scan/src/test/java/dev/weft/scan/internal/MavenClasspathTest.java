package dev.weft.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenClasspathTest {
    @TempDir
    Path dir;

    @Test
    void aMavenProjectGivesItsClassesAndTheDependenciesFoundInTheLocalRepository() throws IOException {
        Path project = dir.resolve("app");
        Files.createDirectories(project.resolve("src/main/java/demo"));
        Files.createDirectories(project.resolve("target/classes"));
        Files.writeString(project.resolve("pom.xml"), """
                <project>
                  <properties><netty.version>4.1.115.Final</netty.version></properties>
                  <dependencies>
                    <dependency>
                      <groupId>io.netty</groupId><artifactId>netty-transport</artifactId>
                      <version>${netty.version}</version>
                    </dependency>
                    <dependency>
                      <groupId>org.postgresql</groupId><artifactId>postgresql</artifactId>
                    </dependency>
                    <dependency>
                      <groupId>com.acme</groupId><artifactId>absent</artifactId><version>1.0</version>
                    </dependency>
                  </dependencies>
                </project>
                """);
        Path repo = dir.resolve("repo");
        Path netty = jar(repo, "io/netty/netty-transport/4.1.115.Final/netty-transport-4.1.115.Final.jar");
        jar(repo, "org/postgresql/postgresql/42.7.4/postgresql-42.7.4.jar");
        Path pgNewest = jar(repo, "org/postgresql/postgresql/42.7.13/postgresql-42.7.13.jar");
        String old = System.getProperty("maven.repo.local");
        System.setProperty("maven.repo.local", repo.toString());
        try {
            assertEquals(List.of(project.resolve("target/classes"), netty, pgNewest),
                    MavenClasspath.detect(List.of(project.resolve("src/main/java/demo"))));
        } finally {
            if (old == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", old);
            }
        }
    }

    @Test
    void versionsCompareNumericallyNotAsText() {
        assertEquals(1, Integer.signum(MavenClasspath.compareVersions("42.7.13", "42.7.4")));
        assertEquals(-1, Integer.signum(MavenClasspath.compareVersions("4.1.9.Final", "4.1.115.Final")));
    }

    private static Path jar(Path repo, String rel) throws IOException {
        Path p = repo.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[0]);
        return p;
    }
}
