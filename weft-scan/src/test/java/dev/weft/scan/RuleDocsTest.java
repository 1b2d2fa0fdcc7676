package dev.weft.scan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every rule has its page (what, why, fix, before/after) and is listed in the index. */
class RuleDocsTest {
    private static final Path ROOT = Path.of("..");

    @Test
    void everyRuleHasACompleteDocPageListedInTheIndex() throws IOException {
        String index = Files.readString(ROOT.resolve("docs/scan/index.md"));
        for (Rule r : Rule.values()) {
            Path page = ROOT.resolve(r.docPath());
            assertTrue(Files.isRegularFile(page), "missing " + page);
            String text = Files.readString(page);
            for (String section : new String[] {"# " + r.id(), "## What it flags", "## Why it hurts", "## The fix",
                    "Before:", "After:", "`" + r.slug() + "`"}) {
                assertTrue(text.contains(section), r.docPath() + " lacks '" + section + "'");
            }
            assertTrue(index.contains("(" + r.id() + ".md)"), "docs/scan/index.md does not list " + r.id());
        }
    }
}
