package dev.weft.cli.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The template renderer agrees with Velocity on what the template uses, and refuses what it does not implement. */
class ProjectTemplateTest {
    private static final Set<String> PROPS = Set.of("package", "artifactId", "version");

    @Test
    void theShippedTemplateUsesOnlyWhatBothRenderersAgreeOn() {
        ProjectTemplate t = ProjectTemplate.load(ProjectTemplateTest.class.getClassLoader());
        assertEquals(List.of(), t.velocityProblems());
        assertEquals(Set.of("groupId", "artifactId", "version", "package", "weftVersion", "gitignore"), t.defaults().keySet());
        assertFalse(t.defaults().get("weftVersion").contains("@"), "the archetype build filters the Weft version in: " + t.defaults());
    }

    @Test
    void velocitySyntaxTheRendererDoesNotImplementIsFound() {
        assertEquals(List.of("Velocity syntax '##' (only ${property} is supported)"), ProjectTemplate.lineProblems("## Usage", PROPS));
        assertEquals(List.of("Velocity syntax '#set' (only ${property} is supported)"), ProjectTemplate.lineProblems("#set( $x = 1 )", PROPS).subList(0, 1));
        assertEquals(List.of("a '$' that is not ${name}"), ProjectTemplate.lineProblems("cost: $5", PROPS));
        assertEquals(List.of("'${package.name}' would be a property access in Velocity"), ProjectTemplate.lineProblems("${package.name}", PROPS));
        assertEquals(List.of(), ProjectTemplate.lineProblems("<v>${project.version}</v> {@link #run()} # heading", PROPS));
    }

    @Test
    void renderReplacesKnownPropertiesAndLeavesTheRest() {
        assertEquals("package a.b; ${project.basedir} x-1",
                ProjectTemplate.render("package ${package}; ${project.basedir} ${artifactId}-${version}", Map.of("package", "a.b", "artifactId", "x", "version", "1")));
    }

    @Test
    void antPatternsAsTheArchetypePluginReadsThem() {
        assertTrue(ProjectTemplate.matchesAny("App.java", List.of("**/*.java")));
        assertTrue(ProjectTemplate.matchesAny("a/b/App.java", List.of("**/*.java")));
        assertFalse(ProjectTemplate.matchesAny("a/App.txt", List.of("**/*.java")));
        assertTrue(ProjectTemplate.matchesAny("README.md", List.of("README.md")));
        assertFalse(ProjectTemplate.matchesAny("docs/README.md", List.of("README.md")));
        assertTrue(ProjectTemplate.matchesAny("x/y", List.of("**")));
    }
}
