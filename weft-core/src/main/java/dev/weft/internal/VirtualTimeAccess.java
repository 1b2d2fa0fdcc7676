package dev.weft.internal;

import dev.weft.VirtualTime;
import java.util.function.Function;

/** Lets the internals reach a {@link VirtualTime}'s clock without a public accessor (the JDK's SharedSecrets pattern). */
public final class VirtualTimeAccess {
    private static volatile Function<VirtualTime, VirtualClock> accessor;

    private VirtualTimeAccess() {
    }

    public static void register(Function<VirtualTime, VirtualClock> a) {
        accessor = a;
    }

    static VirtualClock clockOf(VirtualTime v) {
        Function<VirtualTime, VirtualClock> a = accessor;
        if (a == null) {
            try {
                Class.forName(VirtualTime.class.getName(), true, VirtualTime.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = accessor;
        }
        return a.apply(v);
    }
}
