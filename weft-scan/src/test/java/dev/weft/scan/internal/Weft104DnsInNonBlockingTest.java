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
}
