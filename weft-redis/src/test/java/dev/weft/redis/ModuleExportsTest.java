package dev.weft.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JPMS module exports only the API package (STYLE.md, item 1); Jedis and Jackson stay inside. */
class ModuleExportsTest {
    @Test
    void onlyTheApiPackageIsExportedUnqualified() throws Exception {
        Path classes = Path.of(RedisWorkQueue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        ModuleDescriptor d = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        assertEquals("dev.weft.redis", d.name());
        assertEquals(Set.of("dev.weft.redis"), d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(d.exports().stream().allMatch(e -> e.targets().isEmpty()));
        assertTrue(d.opens().isEmpty());
    }
}
