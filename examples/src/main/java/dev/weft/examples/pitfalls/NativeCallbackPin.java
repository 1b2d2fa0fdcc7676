package dev.weft.examples.pitfalls;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Blocking inside a Java callback called from native code: the virtual thread cannot unmount. */
public final class NativeCallbackPin {
    private NativeCallbackPin() {
    }

    // tag::native-pin[]
    /** Sorts with the C library's qsort, calling back into Java for every comparison. */
    public static int[] sortNatively(int[] values) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle qsort = linker.downcallHandle(linker.defaultLookup().find("qsort").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
        MethodHandle compare = MethodHandles.lookup().findStatic(NativeCallbackPin.class, "compare",
                MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
        FunctionDescriptor comparator = FunctionDescriptor.of(JAVA_INT,
                ADDRESS.withTargetLayout(JAVA_INT), ADDRESS.withTargetLayout(JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocateFrom(JAVA_INT, values);
            qsort.invokeExact(array, (long) values.length, JAVA_INT.byteSize(),
                    linker.upcallStub(compare, comparator, arena));
            return array.toArray(JAVA_INT);
        }
    }

    private static int compare(MemorySegment a, MemorySegment b) {
        lookUpWeight(); // WRONG: blocks with a native frame (qsort) on the stack: pins the carrier
        return Integer.compare(a.get(JAVA_INT, 0), b.get(JAVA_INT, 0));
    }
    // end::native-pin[]

    private static void lookUpWeight() {
        try {
            Thread.sleep(30); // stands for a blocking lookup (a cache, a socket)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
