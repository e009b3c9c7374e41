package org.longnet.engine.translator;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.VariableTree;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * TornadoVM's warp matrix products on a KernelContext ({@code float[] c = ctx.mmaFragment(0f)}, {@code HalfFloat[] a =
 * ctx.mmaLoadA(tile, 16)}, {@code c = ctx.mma(a, b, c, MMAShape.M16N8K16)}, {@code ctx.mmaStore(c, out, row, col, n)} and
 * their bf16, int8 and fp8 kin), with PTX's meaning: {@code ldmatrix} loads and {@code mma.sync} products of a warp, 32
 * work-items of consecutive linear local ids. A fragment is a private array of one work-item's registers: an
 * accumulator is 4 floats (or ints), an operand fragment ({@code HalfFloat[]}, {@code byte[]}) 4 (A) or 2 (B) 32-bit
 * words of packed elements, so a kernel may index an accumulator but not an operand fragment. A call that makes a
 * fragment must initialize or be assigned to a fragment variable; its C writes into that variable. On CUDA the loads
 * and products are {@code ldmatrix} and {@code mma.sync} ({@code longnet_mma.cuh}); on OpenCL the lanes meet in a
 * hidden local array between barriers ({@code longnet_mma.cl}), so every work-item of the work-group must make those
 * calls together, and a helper cannot make them. The async copies are plain copies everywhere (their commit and wait
 * then have nothing to do), which gives what the asynchronous ones give after the wait.
 */
final class MmaCalls {
    /** The hidden local array of the OpenCL lowering, declared first in a kernel that uses it. */
    private static final String SCRATCH = "longnet_mma_scratch";

    /** What a fragment holds: its C element type and length; an operand fragment's words are not its Java elements. */
    enum Kind {
        A16("unsigned int", 4, true), B16("unsigned int", 2, true), A8("unsigned int", 4, true), B8("unsigned int", 2, true),
        F32("float", 4, false), S32("int", 4, false);

        final String cType;
        final int length;
        final boolean operand;

        Kind(String cType, int length, boolean operand) {
            this.cType = cType;
            this.length = length;
            this.operand = operand;
        }
    }

    /** A call that makes a fragment: the kind it makes, the fragments it takes, and the shape it needs (or null). */
    private record Maker(Kind makes, List<Kind> takes, String shape, String cFunction) {
    }

    private static final Map<String, Maker> MAKERS = Map.ofEntries(
            Map.entry("mmaFragment", new Maker(Kind.F32, List.of(), null, null)),
            Map.entry("mmaFragmentInt", new Maker(Kind.S32, List.of(), null, null)),
            Map.entry("mmaLoadA", new Maker(Kind.A16, List.of(), null, "longnet_mma_load_a")),
            Map.entry("mmaLoadB", new Maker(Kind.B16, List.of(), null, "longnet_mma_load_b")),
            Map.entry("mmaLoadBSwizzled", new Maker(Kind.B16, List.of(), null, "longnet_mma_load_b_swizzled")),
            Map.entry("mmaLoadAInt8", new Maker(Kind.A8, List.of(), null, "longnet_mma_load_a")),
            Map.entry("mmaLoadBInt8", new Maker(Kind.B8, List.of(), null, "longnet_mma_load_b")),
            Map.entry("mmaLoadAFP8", new Maker(Kind.A8, List.of(), null, "longnet_mma_load_a")),
            Map.entry("mmaLoadBFP8", new Maker(Kind.B8, List.of(), null, "longnet_mma_load_b")),
            Map.entry("mma", new Maker(Kind.F32, List.of(Kind.A16, Kind.B16, Kind.F32), "M16N8K16", "LONGNET_MMA_F16")),
            Map.entry("mmaBF16", new Maker(Kind.F32, List.of(Kind.A16, Kind.B16, Kind.F32), "M16N8K16", "LONGNET_MMA_BF16")),
            Map.entry("mmaInt8", new Maker(Kind.S32, List.of(Kind.A8, Kind.B8, Kind.S32), "M16N8K32", null)),
            Map.entry("mmaFP8E4M3", new Maker(Kind.F32, List.of(Kind.A8, Kind.B8, Kind.F32), "M16N8K32", "LONGNET_MMA_E4M3")),
            Map.entry("mmaFP8E5M2", new Maker(Kind.F32, List.of(Kind.A8, Kind.B8, Kind.F32), "M16N8K32", "LONGNET_MMA_E5M2")));

    private MmaCalls() {
    }

    /** Refuses {@code a}, an element of an MMA operand fragment, which a device holds as packed 32-bit registers. */
    static void checkNotIndexed(MethodScope s, com.sun.source.tree.ArrayAccessTree a) {
        if (a.getExpression() instanceof com.sun.source.tree.IdentifierTree f && s.mmaFragments.containsKey(f.getName().toString())) {
            throw new Rejected(a, f + " is an MMA operand fragment: on a device it holds packed 32-bit registers, so its elements cannot be "
                    + "read or written in a kernel; pass it to mma and its kin only");
        }
    }

    /** Whether {@code x} is a call that makes a fragment. */
    static boolean makesFragment(MethodScope s, ExpressionTree x) {
        return LoopDependence.unparen(x) instanceof MethodInvocationTree call && s.element(call) instanceof ExecutableElement m && isContext(m)
                && MAKERS.containsKey(m.getSimpleName().toString());
    }

    /** {@code T[] name = ctx.mma...(...)}: the C array of the fragment, then the call that fills it. */
    static String declare(MethodScope s, Expressions e, VariableTree v, String cName) {
        MethodInvocationTree call = (MethodInvocationTree) LoopDependence.unparen(v.getInitializer());
        Kind kind = MAKERS.get(((ExecutableElement) s.element(call)).getSimpleName().toString()).makes();
        String javaName = v.getName().toString();
        s.mmaFragments.put(javaName, kind);
        if (!kind.operand) {
            s.arraySizes.put(javaName, kind.length);
        }
        return kind.cType + " " + cName + "[" + kind.length + "]; " + fill(s, e, call, cName);
    }

    /** {@code name = ctx.mma...(...)}, name a fragment of the kind the call makes. */
    static String assign(MethodScope s, Expressions e, AssignmentTree a) {
        MethodInvocationTree call = (MethodInvocationTree) LoopDependence.unparen(a.getExpression());
        Kind kind = MAKERS.get(((ExecutableElement) s.element(call)).getSimpleName().toString()).makes();
        return "(" + fill(s, e, call, fragment(s, a.getVariable(), kind, "the variable assigned")) + ")";
    }

    /** A call on a KernelContext that stores a fragment or copies a tile, as C; a fragment's maker out of place is refused; null for any other call. */
    static String call(MethodScope s, Expressions e, MethodInvocationTree call, ExecutableElement m) {
        String name = m.getSimpleName().toString();
        if (!isContext(m)) {
            return null;
        }
        if (MAKERS.containsKey(name)) {
            throw new Rejected(call, name + " makes an MMA fragment: it must initialize a fragment variable (float[] c = ctx." + name
                    + "(...)) or be assigned to one (c = ctx." + name + "(...))");
        }
        List<? extends ExpressionTree> args = call.getArguments();
        String cl = s.d.name().equals("cl") ? "(__global " : "(";
        return switch (name) {
            case "mmaStore", "mmaStoreInt" -> {
                Kind kind = name.equals("mmaStore") ? Kind.F32 : Kind.S32;
                String out = arrayParameter(s, args.get(1), kind == Kind.F32 ? "float" : "int", name);
                yield "longnet_mma_store" + (kind == Kind.S32 ? "_int(" : "(") + fragment(s, args.get(0), kind, name + "'s fragment") + ", " + out
                        + ", " + e.index(args.get(2)) + ", " + e.index(args.get(3)) + ", " + e.index(args.get(4)) + ")";
            }
            case "mmaStoreBSwizzled" -> {
                String tile = localTile(s, args.get(0), name);
                String offset = "(" + e.index(args.get(1)) + " * " + e.index(args.get(3)) + " + " + e.index(args.get(2)) + ") * 2";
                yield "(" + tile + "[(longnet_swizzle(" + offset + ", 7, 4) + " + e.index(args.get(5)) + ") / 2] = "
                        + unparen(e.expr(args.get(4))) + ")";
            }
            case "asyncCopyToLocal" -> {
                String tile = localTile(s, args.get(0), name);
                String source = JavaTypes.ARRAY_ELEMENT.get(s.javaType(args.get(2)));
                String src = arrayParameter(s, args.get(2), source, name);
                String function = source.equals("half") ? "longnet_mma_copy_halves(" + cl + "const unsigned short*) "
                        : "longnet_mma_copy_bytes(" + cl + "const unsigned char*) ";
                yield function + src + ", " + e.index(args.get(3)) + ", " + tile + ", " + e.index(args.get(1)) + ")";
            }
            case "asyncCopyCommit", "asyncCopyWaitGroup" -> "(void) 0";
            default -> null;
        };
    }

    /** The C that fills fragment {@code target} (a C name) with what {@code call} makes. */
    private static String fill(MethodScope s, Expressions e, MethodInvocationTree call, String target) {
        ExecutableElement m = (ExecutableElement) s.element(call);
        String name = m.getSimpleName().toString();
        Maker maker = MAKERS.get(name);
        List<? extends ExpressionTree> args = call.getArguments();
        if (!maker.makes().operand && maker.takes().isEmpty()) {
            return (maker.makes() == Kind.F32 ? "longnet_mma_fill(" : "longnet_mma_fill_int(") + target + ", " + unparen(e.expr(args.get(0))) + ")";
        }
        if (!s.isKernel) {
            throw new Rejected(call, name + " must be called in the kernel method itself, not in helper " + s.method.getName()
                    + ": on OpenCL a warp's lanes meet in local memory that the kernel declares");
        }
        s.usesBarrier = true;
        s.usesMmaScratch = true;
        List<String> c = new ArrayList<>();
        if (s.d.name().equals("cl")) {
            c.add(SCRATCH);
        }
        if (maker.takes().isEmpty()) {
            c.add(localTile(s, args.get(0), name));
            c.add(args.size() > 2 ? unparen(e.index(args.get(2))) : "0");
        } else {
            checkShape(s, args.get(3), maker.shape(), name);
            for (int i = 0; i < 3; i++) {
                c.add(fragment(s, args.get(i), maker.takes().get(i), name + "'s fragment " + (i + 1)));
            }
            if (maker.cFunction() != null) {
                c.add(maker.cFunction());
            }
        }
        c.add(target);
        String function = maker.takes().isEmpty() ? maker.cFunction() : maker.makes() == Kind.S32 ? "longnet_mma_product_s8" : "longnet_mma_product";
        return function + "(" + String.join(", ", c) + ")";
    }

    private static String fragment(MethodScope s, ExpressionTree arg, Kind kind, String what) {
        if (!(LoopDependence.unparen(arg) instanceof IdentifierTree id) || s.mmaFragments.get(id.getName().toString()) != kind) {
            throw new Rejected(arg, what + " must be a fragment variable of kind " + kind + " (made by " + makersOf(kind) + "), by name; "
                    + arg + " is not");
        }
        return CNames.of(id.getName().toString());
    }

    private static String makersOf(Kind kind) {
        return String.join(" or ", MAKERS.entrySet().stream().filter(x -> x.getValue().makes() == kind).map(Map.Entry::getKey).sorted().toList());
    }

    private static String localTile(MethodScope s, ExpressionTree arg, String method) {
        if (!(LoopDependence.unparen(arg) instanceof IdentifierTree id) || !s.localArrays.contains(id.getName().toString())) {
            throw new Rejected(arg, method + "'s tile must be a work-group local array (context.allocate...LocalArray), by name; " + arg + " is not");
        }
        return CNames.of(id.getName().toString());
    }

    private static String arrayParameter(MethodScope s, ExpressionTree arg, String element, String method) {
        if (!(LoopDependence.unparen(arg) instanceof IdentifierTree id) || s.element(id).getKind() != ElementKind.PARAMETER
                || !element.equals(JavaTypes.ARRAY_ELEMENT.get(s.javaType(arg)))) {
            throw new Rejected(arg, method + " takes an array parameter of the kernel (of " + element + " elements), by name; " + arg + " is not");
        }
        return CNames.of(id.getName().toString());
    }

    private static void checkShape(MethodScope s, ExpressionTree arg, String shape, String method) {
        Element constant = s.element(LoopDependence.unparen(arg));
        if (constant == null || constant.getKind() != ElementKind.ENUM_CONSTANT || !constant.getSimpleName().contentEquals(shape)) {
            throw new Rejected(arg, method + " computes the MMAShape." + shape + " tile: its shape must be MMAShape." + shape + ", not " + arg);
        }
    }

    private static boolean isContext(ExecutableElement m) {
        return JavaTypes.ownerName(m).equals(JavaTypes.CONTEXT);
    }

    /** {@code body} (a kernel's braced block) with the hidden local array declared first where the dialect needs one. */
    static String withScratch(Dialect d, String body) {
        if (!d.name().equals("cl")) {
            return body;
        }
        return "{\n    __local int " + SCRATCH + "[LONGNET_MMA_SCRATCH];" + body.substring(body.indexOf('{') + 1);
    }
}
