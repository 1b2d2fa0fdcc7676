package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The weft-bom lists every library module of the build, at the build's version. */
class BomTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    private static List<String> all(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String version(String pom) {
        // the project's own version: the first <version> after its <artifactId>, outside <parent>
        String withoutParent = pom.replaceAll("(?s)<parent>.*?</parent>", "");
        Matcher m = Pattern.compile("<version>([^<]+)</version>").matcher(withoutParent);
        assertTrue(m.find());
        return m.group(1);
    }

    @Test
    void bomListsEveryLibraryModuleAtTheParentVersion() throws Exception {
        String parent = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("weft-bom/pom.xml"));
        assertEquals(version(parent), version(bom), "weft-bom's version must follow the parent's");
        List<String> listed = all(Pattern.compile("<artifactId>(weft-[a-z]+)</artifactId>"), bom);
        for (String module : all(Pattern.compile("<module>([^<]+)</module>"), parent)) {
            boolean library = Files.exists(ROOT.resolve(module).resolve("src/main/java/module-info.java"));
            if (library) {
                assertTrue(listed.contains(module), module + " is a library module (it has a module-info) but weft-bom does not list it");
            }
        }
    }
}
