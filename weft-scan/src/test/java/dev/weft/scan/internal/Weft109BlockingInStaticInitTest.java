package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft109BlockingInStaticInit}. */
class Weft109BlockingInStaticInitTest {
    @Test
    void flagsLookupsInStaticInitializersButNotAddressLiterals() {
        CheckTester.of(Rule.WEFT109)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.net.InetAddress;",
                        "class A {",
                        "    static final InetAddress HOST;",
                        "    static final InetAddress LOOPBACK;",
                        "    static final java.util.Comparator<java.nio.file.Path> BY_SIZE = java.util.Comparator.comparingLong(A::size);",
                        "    static long size(java.nio.file.Path p) {",
                        "        try { return java.nio.file.Files.size(p); } catch (java.io.IOException e) { return 0; }",
                        "    }",
                        "    static {",
                        "        try {",
                        "            HOST = InetAddress.getByName(\"example.org\"); // expect: WEFT109",
                        "            LOOPBACK = InetAddress.getByName(\"127.0.0.1\");",
                        "        } catch (java.io.IOException e) {",
                        "            throw new ExceptionInInitializerError(e);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
