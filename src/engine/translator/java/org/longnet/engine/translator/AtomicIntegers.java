package org.longnet.engine.translator;

import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;

import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import java.util.Map;

import static org.longnet.engine.translator.LoopDependence.unparen;

/**
 * Java's {@code AtomicInteger} as TornadoVM's kernels use it: a task argument (or a helper's parameter that one is
 * passed to) is one int in global memory, shared by every work-item, which the host's object gives before the run and
 * takes back after it (the runtime mirrors it as a one-element int array, {@code JavaArrays}). In the kernel it is
 * {@code int* name} (with its length, 1, as every array parameter), and TornadoVM's five methods of it are atomic
 * operations on that int: {@code incrementAndGet}, {@code decrementAndGet}, {@code getAndIncrement},
 * {@code getAndDecrement} and {@code get}, wrapping as Java's int does. The jvm device runs the Java methods on the
 * object itself.
 */
final class AtomicIntegers {
    static final String TYPE = "java.util.concurrent.atomic.AtomicInteger";

    /** Each method: its C on OpenCL and on CUDA, {@code %s} the counter's pointer; the {@code atomic_add}s return the old value. */
    private static final Map<String, String[]> METHODS = Map.of(
            "incrementAndGet", new String[] {"longnet_add_and_get(%s, 1)", "longnet_add_and_get(%s, 1)"},
            "decrementAndGet", new String[] {"longnet_add_and_get(%s, -1)", "longnet_add_and_get(%s, -1)"},
            "getAndIncrement", new String[] {"atomic_add(%s, 1)", "atomicAdd(%s, 1)"},
            "getAndDecrement", new String[] {"atomic_add(%s, -1)", "atomicAdd(%s, -1)"},
            "get", new String[] {"atomic_add(%s, 0)", "atomicAdd(%s, 0)"});

    private AtomicIntegers() {
    }

    /** Whether a variable of {@code javaType} is a counter. */
    static boolean is(String javaType) {
        return javaType.equals(TYPE);
    }

    /** The call as C where it is a method of an AtomicInteger; else null. */
    static String call(MethodScope s, MethodInvocationTree call, ExecutableElement m) {
        if (!is(JavaTypes.ownerName(m))) {
            return null;
        }
        String name = m.getSimpleName().toString();
        String[] spelling = METHODS.get(name);
        if (spelling == null || !m.getParameters().isEmpty()) {
            throw new Rejected(call, "AtomicInteger." + name + " cannot be called in a kernel; TornadoVM's kernels may call incrementAndGet, "
                    + "decrementAndGet, getAndIncrement, getAndDecrement and get");
        }
        if (!(call.getMethodSelect() instanceof MemberSelectTree select) || !(unparen(select.getExpression()) instanceof IdentifierTree id)
                || s.element(id).getKind() != ElementKind.PARAMETER) {
            throw new Rejected(call, "an AtomicInteger in a kernel must be a parameter (a task's argument, which the host reads back after "
                    + "the run), called by name, like counter." + name + "()");
        }
        return String.format(spelling[s.d.name().equals("cl") ? 0 : 1], CNames.of(id.getName().toString()));
    }
}
