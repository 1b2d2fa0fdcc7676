package dev.weft.scan.internal;

import dev.weft.scan.Rule;
import org.junit.jupiter.api.Test;

/** Positive and negative cases of {@link Weft104DnsInNonBlocking}. */
class Weft104DnsInNonBlockingTest {
    @Test
    void flagsLookupsOfNamesButNotOfAddressLiterals() {
        CheckTester.of(Rule.WEFT104)
                .add("src/main/java/p/A.java",
                        "package p;",
                        "import java.util.concurrent.*;",
                        "",
                        "import java.net.InetAddress;",
                        "class A {",
                        "    void f(CompletableFuture<String> cf) {",
                        "        cf.thenApply(h -> { try { return InetAddress.getByName(h); } catch (java.io.IOException e) { throw new RuntimeException(e); } }); // expect: WEFT104",
                        "        cf.thenApply(h -> { try { return InetAddress.getByName(\"127.0.0.1\"); } catch (java.io.IOException e) { throw new RuntimeException(e); } });",
                        "        cf.thenApply(h -> { try { return InetAddress.getByName(\"::1\"); } catch (java.io.IOException e) { throw new RuntimeException(e); } });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void getHostNameOnTheAddressGetLocalHostReturnedLooksNothingUp() {
        // ADR 0122: getLocalHost() is the lookup; the address it returns holds its name
        CheckTester.of(Rule.WEFT104)
                .add("src/main/java/p/B.java",
                        "package p;",
                        "import java.net.InetAddress;",
                        "import java.util.concurrent.*;",
                        "class B {",
                        "    void f(CompletableFuture<InetAddress> cf, InetAddress peer) {",
                        "        cf.thenApply(a -> { try { return InetAddress.getLocalHost() // expect: WEFT104",
                        "                .getHostName(); } catch (java.io.IOException e) { throw new RuntimeException(e); } });",
                        "        cf.thenApply(a -> peer.getHostName()); // expect: WEFT104",
                        "        cf.thenApply(a -> { try { return InetAddress.getByName(\"example.org\").getCanonicalHostName(); // expect: WEFT104",
                        "                } catch (java.io.IOException e) { throw new RuntimeException(e); } });",
                        "    }",
                        "}")
                .test();
    }

    @Test
    void anIpLiteralReachingAPrivateHelpersParameterIsNoLookup() {
        // ADR 0122: every call of the private helper passes an IP literal
        CheckTester.of(Rule.WEFT104)
                .add("src/main/java/p/C.java",
                        "package p;",
                        "import java.net.InetAddress;",
                        "import java.util.concurrent.*;",
                        "class C {",
                        "    void f(CompletableFuture<String> cf) {",
                        "        cf.thenApply(s -> byLiteral(\"::\"));",
                        "        cf.thenApply(s -> byLiteral(\"0.0.0.0\"));",
                        "        cf.thenApply(s -> byName(\"127.0.0.1\"));",
                        "        cf.thenApply(s -> byName(s));",
                        "        cf.thenApply(s -> open(\"10.0.0.1\"));",
                        "        cf.thenApply(s -> reassigned(\"10.0.0.1\"));",
                        "    }",
                        "    private static InetAddress byLiteral(String ip) {",
                        "        try { return InetAddress.getByName(ip); } catch (java.io.IOException e) { throw new RuntimeException(e); }",
                        "    }",
                        "    private static InetAddress byName(String host) {",
                        "        try { return InetAddress.getByName(host); // expect: WEFT104",
                        "        } catch (java.io.IOException e) { throw new RuntimeException(e); }",
                        "    }",
                        "    static InetAddress open(String host) {",
                        "        try { return InetAddress.getByName(host); // expect: WEFT104",
                        "        } catch (java.io.IOException e) { throw new RuntimeException(e); }",
                        "    }",
                        "    private static InetAddress reassigned(String host) {",
                        "        host = host + \".example.org\";",
                        "        try { return InetAddress.getByName(host); // expect: WEFT104",
                        "        } catch (java.io.IOException e) { throw new RuntimeException(e); }",
                        "    }",
                        "}")
                .test();
    }
}
