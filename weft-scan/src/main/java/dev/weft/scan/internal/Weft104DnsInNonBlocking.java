package dev.weft.scan.internal;

import dev.weft.scan.Rule;

/**
 * WEFT104 (dns): a DNS lookup on a thread that must not block.
 *
 * <p>See {@code docs/scan/WEFT104.md}; cases in {@code Weft104DnsInNonBlockingTest}.
 */
final class Weft104DnsInNonBlocking extends BlockingInNonBlocking {
    Weft104DnsInNonBlocking() {
        super(Rule.WEFT104, Catalogue.Category.DNS);
    }
}
