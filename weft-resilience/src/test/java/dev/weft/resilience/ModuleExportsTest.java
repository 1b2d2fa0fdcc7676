package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JPMS module exports only the API package (STYLE.md, item 1), read from the compiled module-info. */
class ModuleExportsTest {
    private static ModuleDescriptor descriptor;

    @BeforeAll
    static void readModule() throws URISyntaxException {
        Path classes = Path.of(Policy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        descriptor = ModuleFinder.of(classes).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module in " + classes)).descriptor();
    }

    @Test
    void theModuleIsNamedDevWeftResilience() {
        assertEquals("dev.weft.resilience", descriptor.name());
    }

    @Test
    void exactlyTheApiPackageIsExportedToEveryone() {
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("dev.weft.resilience"), exported);
        descriptor.exports().forEach(e -> assertTrue(e.targets().isEmpty(), e + " is qualified"));
    }

    @Test
    void theInternalPackageIsNeitherExportedNorOpened() {
        assertTrue(descriptor.packages().contains("dev.weft.resilience.internal"), "packages: " + descriptor.packages());
        assertTrue(descriptor.opens().isEmpty(), "opens: " + descriptor.opens());
    }

    @Test
    void itRequiresCoreTransitivelyAndNothingElseOutsideTheJdk() {
        ModuleDescriptor.Requires core = descriptor.requires().stream().filter(r -> r.name().equals("dev.weft.core"))
                .findFirst().orElseThrow(() -> new AssertionError("does not require dev.weft.core"));
        assertTrue(core.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        for (ModuleDescriptor.Requires r : descriptor.requires()) {
            assertTrue(r.name().equals("dev.weft.core") || r.name().startsWith("java."), "requires " + r.name());
        }
    }
}
