package dev.weft.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The JPMS module exports only its API package, needs core and Micrometer, and needs
 * weft-resilience and weft-http only at compile time (optional at run time), read from the
 * compiled module-info.
 */
class ModuleExportsTest {
    private static ModuleDescriptor descriptor() throws Exception {
        Path classes = Path.of(TaskMetrics.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        return ModuleFinder.of(classes).findAll().stream().findFirst().orElseThrow().descriptor();
    }

    @Test
    void exportsTheApiPackageOnlyAndKeepsResilienceAndHttpOptional() throws Exception {
        ModuleDescriptor d = descriptor();
        assertEquals("dev.weft.micrometer", d.name());
        assertEquals(Set.of("dev.weft.micrometer"),
                d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        Map<String, Set<ModuleDescriptor.Requires.Modifier>> requires = d.requires().stream()
                .filter(r -> !r.name().startsWith("java."))
                .collect(Collectors.toMap(ModuleDescriptor.Requires::name, ModuleDescriptor.Requires::modifiers));
        assertEquals(Set.of("dev.weft.core", "micrometer.core", "dev.weft.resilience", "dev.weft.http"),
                requires.keySet());
        assertTrue(requires.get("dev.weft.resilience").contains(ModuleDescriptor.Requires.Modifier.STATIC));
        assertTrue(requires.get("dev.weft.http").contains(ModuleDescriptor.Requires.Modifier.STATIC));
        assertTrue(requires.get("dev.weft.core").contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }
}
