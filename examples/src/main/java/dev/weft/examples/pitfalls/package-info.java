/**
 * Deliberately wrong code, for the guides' two critical warnings: blocking where it must not
 * (a carrier-pinning native callback, a class initializer that blocks, {@code synchronized} around
 * I/O, a common-pool {@code CompletableFuture} stage, a Jetty client callback) and tasks nobody
 * owns or joins. Each class compiles and its test runs it; {@code weft scan} and Weft's debug mode
 * report it (the guides show their real output). Do not copy these: the guides show the fixes.
 */
package dev.weft.examples.pitfalls;
