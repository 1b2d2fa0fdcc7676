package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JPMS module exports only API packages (STYLE.md, item 1). Tests run on the class path, so this
 * reads the compiled {@code module-info.class} of {@code target/classes} as a module.
 */
class ModuleExportsTest {
    /** The API packages. */
    private static final Set<String> EXPORTED = Set.of("dev.weft", "dev.weft.channel", "dev.weft.debug");

    private static ModuleDescriptor descriptor;

    @BeforeAll
    static void readModule() throws URISyntaxException {
        Path classes = Path.of(Weft.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        ModuleReference ref = ModuleFinder.of(classes).findAll().stream().findFirst()
                .orElseThrow(() -> new AssertionError("no module found in " + classes));
        descriptor = ref.descriptor();
    }

    @Test
    void theModuleIsNamedDevWeftCore() {
        assertEquals("dev.weft.core", descriptor.name());
    }

    @Test
    void exactlyTheApiPackagesAreExported() {
        Set<String> exported = descriptor.exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EXPORTED), exported);
    }

    @Test
    void exportsAreUnqualified() {
        for (ModuleDescriptor.Exports e : descriptor.exports()) {
            assertTrue(e.targets().isEmpty(), e.source() + " is exported only to " + e.targets());
        }
    }

    @Test
    void theInternalPackageIsInTheModuleButNeitherExportedNorOpened() {
        assertTrue(descriptor.packages().contains("dev.weft.internal"), "packages: " + descriptor.packages());
        assertTrue(descriptor.opens().isEmpty(), "opens: " + descriptor.opens());
        assertTrue(descriptor.exports().stream().noneMatch(e -> e.source().startsWith("dev.weft.internal")));
    }

    @Test
    void theModuleRequiresOnlyJdkModules() {
        for (ModuleDescriptor.Requires r : descriptor.requires()) {
            assertTrue(r.name().startsWith("java.") || r.name().startsWith("jdk."),
                    "weft-core must depend on the JDK only, but requires " + r.name());
        }
    }
}
