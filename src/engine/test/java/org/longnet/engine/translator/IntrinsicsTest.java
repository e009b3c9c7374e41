package org.longnet.engine.translator;

import org.junit.jupiter.api.Test;
import org.longnet.engine.api.KernelContext;
import org.longnet.engine.api.KernelMath;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The intrinsics table and the API stay one: each row is a real method, and each method kernels may call has a row. */
class IntrinsicsTest {
    /** KernelContext methods that are not calls on a device: local arrays are declarations the translator lays out. */
    private static final Set<String> DECLARATIONS = Set.of("allocateFloatLocalArray(int)", "allocateIntLocalArray(int)",
            "allocateDoubleLocalArray(int)", "allocateLongLocalArray(int)", "allocateByteLocalArray(int)");

    @Test
    void everyRowIsAPublicMethodOfItsClass() throws ClassNotFoundException {
        for (Intrinsic row : Intrinsics.TABLE) {
            Class<?> owner = Class.forName("org.longnet.engine.api." + row.owner());
            assertTrue(signatures(owner).contains(row.name() + "(" + String.join(",", row.params().stream().map(Intrinsic.Param::type).toList())
                    + ")"), row.key() + " is no public method of " + owner.getName() + ": " + signatures(owner));
        }
    }

    @Test
    void everyKernelMathFunctionAndKernelContextMethodIsARow() {
        for (Class<?> owner : List.of(KernelMath.class, KernelContext.class)) {
            Set<String> rows = Intrinsics.TABLE.stream().filter(r -> r.owner().equals(owner.getSimpleName()))
                    .map(r -> r.key().substring(r.owner().length() + 1)).collect(Collectors.toSet());
            Set<String> methods = new HashSet<>(signatures(owner));
            methods.removeAll(DECLARATIONS);
            assertEquals(methods, rows, owner.getSimpleName() + "'s public methods and its rows");
        }
    }

    @Test
    void aRowSpellsOnlyItsOwnParameters() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Intrinsic.of("KernelMath", "exp(float x)", "native_exp({y})", "__expf({x})"));
        assertTrue(e.getMessage().contains("{y}"), e.getMessage());
    }

    /** {@code name(type,type)} of each public method a class declares, types as the table writes them. */
    private static List<String> signatures(Class<?> owner) {
        return Arrays.stream(owner.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()))
                .map(IntrinsicsTest::signature).toList();
    }

    private static String signature(Method m) {
        return m.getName() + "(" + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",")) + ")";
    }
}
