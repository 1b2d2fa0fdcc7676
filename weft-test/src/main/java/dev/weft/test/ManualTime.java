package dev.weft.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link dev.weft.VirtualTime} parameter of a {@link WeftTest} method: the clock moves only
 * when the test calls {@link dev.weft.VirtualTime#advance}. Without it the injected clock is
 * auto-advancing (it jumps to the next timer whenever every task under it waits).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface ManualTime {
}
