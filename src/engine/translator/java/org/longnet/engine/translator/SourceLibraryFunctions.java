package org.longnet.engine.translator;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The device functions of a class that is not a {@code @DeviceFunctions} class but whose static methods kernels of
 * other classes call ({@link SourceLibraries}), translated from its attributed trees, each method on its own: one
 * that cannot run on a device (host code, recursion, a call of one of its class that cannot) gets
 * the reason instead, which is reported where a kernel calls it, so the class's other methods are not held to the
 * kernel subset.
 */
final class SourceLibraryFunctions {
    /** The functions translated, by method name (with its parameter types where the class overloads it). */
    final Map<String, DeviceFunction> translated = new LinkedHashMap<>();
    /** Why each of the others cannot run on a device, by the same names. */
    final Map<String, String> unavailable = new LinkedHashMap<>();

    /** {@code wanted}: the class's static methods that kernels were found to call. */
    SourceLibraryFunctions(Trees trees, CompilationUnitTree unit, TypeElement cls, List<ExecutableElement> wanted,
                           Predicate<Element> sourceLibrary) {
        String where = cls.getSimpleName() + ".java";
        for (ExecutableElement m : wanted) {
            // overloads are functions of their own, keyed and named in C with their parameter types
            String name = m.getSimpleName() + CNames.overload(m, "(", ",", "()");
            try {
                CallGraph graph = new CallGraph(trees, cls, List.of(m), sourceLibrary);
                if (graph.recursion != null) {
                    unavailable.put(name, "it is recursive (" + graph.recursion + "), and devices have no call stack");
                    continue;
                }
                translated.put(name, new ClassTranslator(trees, unit, cls, true, graph).function(m));
            } catch (Rejected r) {
                long line = unit.getLineMap().getLineNumber(trees.getSourcePositions().getStartPosition(unit, r.where));
                unavailable.put(name, r.getMessage() + " (" + where + ":" + line + ")");
            } catch (RuntimeException e) { // host code of any shape: what the translator cannot read is a reason, not a crash
                unavailable.put(name, "the translator cannot read it (" + e + ")");
            }
        }
        dropCallersOfUnavailable(CNames.binaryName(cls));
    }

    /** A function that calls one of its class that cannot run cannot run either. */
    private void dropCallersOfUnavailable(String binary) {
        for (boolean changed = true; changed; ) {
            changed = false;
            for (var it = translated.entrySet().iterator(); it.hasNext(); ) {
                var f = it.next();
                String bad = f.getValue().calls().stream()
                        .filter(k -> k.startsWith(binary + "#") && unavailable.containsKey(k.substring(binary.length() + 1))).findFirst().orElse(null);
                if (bad != null) {
                    unavailable.put(f.getKey(), "it calls " + DeviceFunction.javaName(bad) + ", which cannot run on a device: "
                            + unavailable.get(bad.substring(binary.length() + 1)));
                    it.remove();
                    changed = true;
                }
            }
        }
    }
}
