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

    /**
     * Round 9 (ADR 0124): Quartz's {@code when(GOOD_STATEMENT.executeUpdate()).thenReturn(1)} on a Mockito
     * mock in a test's static initializer stubs the mock; no JDBC call runs. A {@code when} that is not
     * Mockito's, and a real blocking call beside the stubs, are still reported.
     */
    @Test
    void mockitoStubbingAndVerificationAreNotCalls() {
        CheckTester.of(Rule.WEFT109)
                .add("src/test/java/p/StubTest.java",
                        "package p;",
                        "import static org.mockito.Mockito.doThrow;",
                        "import static org.mockito.Mockito.mock;",
                        "import static org.mockito.Mockito.verify;",
                        "import static org.mockito.Mockito.when;",
                        "import java.sql.PreparedStatement;",
                        "import java.sql.SQLException;",
                        "import org.mockito.BDDMockito;",
                        "class StubTest {",
                        "    static final PreparedStatement GOOD = mock(PreparedStatement.class);",
                        "    static final PreparedStatement BAD = mock(PreparedStatement.class);",
                        "    static {",
                        "        try {",
                        "            when(GOOD.executeUpdate()).thenReturn(1);",
                        "            when((BAD.executeQuery())).thenThrow(SQLException.class);",
                        "            BDDMockito.given(GOOD.executeQuery()).willReturn(null);",
                        "            doThrow(new SQLException()).when(BAD).executeUpdate();",
                        "            verify(GOOD).executeUpdate();",
                        "            GOOD.executeUpdate(); // expect: WEFT109",
                        "            java.nio.file.Files.readString(java.nio.file.Path.of(\"x\")); // expect: WEFT109",
                        "        } catch (SQLException | java.io.IOException e) {",
                        "            throw new AssertionError(e);",
                        "        }",
                        "    }",
                        "}")
                .add("src/test/java/p/OwnWhen.java",
                        "package p;",
                        "import java.sql.PreparedStatement;",
                        "class OwnWhen {",
                        "    static PreparedStatement stmt;",
                        "    static int when(int rows) { return rows; }",
                        "    static final int ROWS;",
                        "    static {",
                        "        try {",
                        "            ROWS = when(stmt.executeUpdate()); // expect: WEFT109",
                        "        } catch (java.sql.SQLException e) {",
                        "            throw new ExceptionInInitializerError(e);",
                        "        }",
                        "    }",
                        "}")
                .test();
    }
}
