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

    @Test
    void aBlockingMethodReferenceStoredInAStaticFieldRunsNothingAtClassInit() {
        CheckTester.of(Rule.WEFT109)
                .add("src/main/java/p/B.java",
                        "package p;",
                        "import java.nio.file.Files;",
                        "import java.nio.file.Path;",
                        "import java.util.List;",
                        "class B {",
                        "    interface Sleeper { void sleep(long ms) throws InterruptedException; }",
                        "    interface Reader { String read(Path p) throws java.io.IOException; }",
                        "    record Holder(Sleeper sleeper) { }",
                        "    private static final Sleeper DEFAULT_SLEEPER = Thread::sleep;",
                        "    static final Reader READER = (Reader) (Files::readString);",
                        "    static final Holder HOLDER = new Holder(Thread::sleep);",
                        "    static final Sleeper LATER;",
                        "    static final List<Path> PATHS = List.of(Path.of(\"a\"));",
                        "    static {",
                        "        LATER = Thread::sleep;",
                        "        each(PATHS, Files::delete); // expect: WEFT109",
                        "        try {",
                        "            Files.readString(Path.of(\"b\")); // expect: WEFT109",
                        "        } catch (java.io.IOException e) {",
                        "            throw new ExceptionInInitializerError(e);",
                        "        }",
                        "    }",
                        "    static final List<String> LINES = PATHS.stream().map(B::lines).toList();",
                        "    static String lines(Path p) {",
                        "        return p.toString();",
                        "    }",
                        "    static {",
                        "        try {",
                        "            for (Path p : PATHS) { rm(p); }",
                        "        } catch (java.io.IOException e) {",
                        "            throw new ExceptionInInitializerError(e);",
                        "        }",
                        "    }",
                        "    interface Rm { void rm(Path p) throws java.io.IOException; }",
                        "    static void each(List<Path> ps, Rm r) {",
                        "        try { for (Path p : ps) { r.rm(p); } } catch (java.io.IOException e) { throw new IllegalStateException(e); }",
                        "    }",
                        "    static void rm(Path p) throws java.io.IOException {",
                        "        Rm r = Files::delete; // expect: WEFT109",
                        "        r.rm(p);",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void getHostNameOfGetLocalHostAndLiteralsThroughAPrivateHelperAreNoLookup() {
        // ADR 0122: Netty's DnsNameResolver and io_uring LinuxSocket
        CheckTester.of(Rule.WEFT109)
                .add("src/main/java/p/D.java",
                        "package p;",
                        "import java.net.InetAddress;",
                        "class D {",
                        "    static final String NAME;",
                        "    static final InetAddress ANY = byName(\"::\");",
                        "    static final InetAddress ANY4 = byName(\"0.0.0.0\");",
                        "    static final InetAddress PEER = lookup(\"db.example.org\");",
                        "    static {",
                        "        try {",
                        "            NAME = InetAddress.getLocalHost().getHostName(); // expect: WEFT109",
                        "        } catch (java.io.IOException e) {",
                        "            throw new ExceptionInInitializerError(e);",
                        "        }",
                        "    }",
                        "    private static InetAddress byName(String ip) {",
                        "        try { return InetAddress.getByName(ip); } catch (java.io.IOException e) { throw new RuntimeException(e); }",
                        "    }",
                        "    private static InetAddress lookup(String host) {",
                        "        try { return InetAddress.getByName(host); // expect: WEFT109",
                        "        } catch (java.io.IOException e) { throw new RuntimeException(e); }",
                        "    }",
                        "}")
                .test();
    }
}
