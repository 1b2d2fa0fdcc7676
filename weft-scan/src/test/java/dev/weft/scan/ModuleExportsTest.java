package dev.weft.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ModuleExportsTest {
    @Test
    void onlyTheApiPackageIsExportedAndOnlyTheCompilerIsRequired() throws Exception {
        Path classes = Path.of(WeftScan.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path info = classes.resolve("module-info.class");
        assertTrue(Files.isRegularFile(info), "module-info.class must be compiled into " + classes);
        try (InputStream in = Files.newInputStream(info)) {
            ModuleDescriptor d = ModuleDescriptor.read(in);
            assertEquals("dev.weft.scan", d.name());
            assertEquals(Set.of("dev.weft.scan"),
                    d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
            assertEquals(Set.of("java.base", "jdk.compiler"),
                    d.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        }
    }
}
