package dev.weft.scan.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ImportsTest {

    @Test
    void thePackageOfAnImportIsItsSegmentsBeforeTheFirstTypeName() {
        assertEquals("org.apache.kafka.common", Imports.packageOf("org.apache.kafka.common.KafkaException", false));
        assertEquals("a.b", Imports.packageOf("a.b.Outer.Inner", false));
        assertEquals("a.b", Imports.packageOf("a.b.C.m", true));
        assertEquals("a.b", Imports.packageOf("a.b.C.*", true));
        assertEquals("a.b", Imports.packageOf("a.b.*", false));
        assertEquals("a.b", Imports.packageOf("a.b.c.m", true), "a static import of a lower-case class");
        assertEquals("a.b", Imports.packageOf("a.b.c", false));
        assertNull(Imports.packageOf("Foo", false), "the unnamed package is never declared");
        assertNull(Imports.packageOf("a.class.B", false), "not a valid package name");
    }

    @Test
    void scanReadsPackageAndImportLinesOnly() {
        Set<String> declared = new TreeSet<>();
        Set<String> imported = new TreeSet<>();
        Imports.scan("""
                // a header
                package demo.app;

                import java.util.List;
                import static org.junit.jupiter.api.Assertions.assertEquals;
                   import com.acme.*;
                import com.acme.util.Strings.Inner; // trailing comment
                class A {
                    String s = "import x.y.Z;";
                }
                """, declared, imported);
        assertEquals(Set.of("demo.app"), declared);
        assertEquals(Set.of("java.util", "org.junit.jupiter.api", "com.acme", "com.acme.util"), imported);
    }

    @Test
    void theEnclosingClassesOfANestedImportAreTheNamesJavacTriesAsPackages() {
        assertEquals(java.util.List.of("a.b.C"), Imports.enclosingTypes("a.b.C.D", false));
        assertEquals(java.util.List.of("a.b.C", "a.b.C.D"), Imports.enclosingTypes("a.b.C.D.E", false));
        assertEquals(java.util.List.of("a.b.C"), Imports.enclosingTypes("a.b.C.D.m", true));
        assertEquals(java.util.List.of(), Imports.enclosingTypes("a.b.C.m", true), "a member of a top-level class");
        assertEquals(java.util.List.of(), Imports.enclosingTypes("a.b.C", false));
        assertEquals(java.util.List.of(), Imports.enclosingTypes("a.b.C.*", false));
        assertEquals(java.util.List.of(), Imports.enclosingTypes("a.b.c", false));
        Set<String> enclosing = new TreeSet<>();
        Imports.scan("import com.acme.util.Strings.Inner;\nimport java.util.Map;\n", new TreeSet<>(), new TreeSet<>(),
                enclosing);
        assertEquals(Set.of("com.acme.util.Strings"), enclosing);
    }
}
