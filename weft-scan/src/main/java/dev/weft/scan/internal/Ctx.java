package dev.weft.scan.internal;

/**
 * Where a piece of code runs, as far as the scanner can tell.
 *
 * @param kind   the kind of thread
 * @param why    a short human explanation ("lambda passed to CompletableFuture.thenApply")
 * @param exact  whether every API involved was resolved by attribution
 * @param method for {@link Kind#UNKNOWN} at a method boundary: that method's name (call-graph edge)
 */
record Ctx(Kind kind, String why, boolean exact, String method) {

    enum Kind {
        /** An event loop, a stage callback, the common pool, a parallel stream: must not block. */
        NONBLOCKING(4),
        /** A class initializer: blocking pins the carrier even on JDK 25. */
        STATIC_INIT(3),
        /** A pool of platform threads (fixed, cached, ForkJoin or a ThreadPoolExecutor). */
        PLATFORM_POOL(2),
        /** A virtual thread. */
        VIRTUAL(1),
        /** Handed to an offload API: blocking is the point. */
        OFFLOAD(0),
        /** A dedicated platform thread. */
        PLATFORM_THREAD(0),
        UNKNOWN(0),
        /** Internal: the lambda runs synchronously where it is written; keep looking outwards. */
        INHERIT(0);

        final int rank;

        Kind(int rank) {
            this.rank = rank;
        }
    }

    static final Ctx UNKNOWN = new Ctx(Kind.UNKNOWN, "", true, null);
    static final Ctx INHERIT = new Ctx(Kind.INHERIT, "", true, null);

    static Ctx of(Kind kind, String why, boolean exact) {
        return new Ctx(kind, why, exact, null);
    }

    boolean propagates() {
        return kind.rank > 0;
    }
}
