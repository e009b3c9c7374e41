package org.longnet.engine.translator;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A task method that reads objects' fields, as a static kernel of its own. TornadoVM runs {@code task("t0", foo::compute, a)}
 * and static methods taking objects ({@code setNestedArray(A a, IntArray i)} reading {@code a.b.someArray}): each field
 * that the method reaches through its receiver or an object parameter, by a chain of fields ending at an array or a number
 * (a leaf), becomes a parameter of the kernel, named after its path ({@code this_output}, {@code a_b_someArray}), and every use
 * of the chain in the body becomes a use of that parameter. The task passes the fields' values when it is added (see
 * {@link #sourceOf}); a number field that the method writes travels as a one-element array ({@code this_count[0]}), which the
 * task copies back into the field after each execution.
 * <p>
 * A method called on the receiver, on an object field or parameter, or on a local {@code new C()} of a class without fields,
 * becomes a call of a helper that takes that object's fields in turn ({@link ObjectCalls}); such a local and its allocation go.
 * Objects are the classes compiled now that are none of the engine's or TornadoVM's types. Refused, with the reason: an
 * object used as a value (passed on, compared, held in another local), an object field that is no array or {@code int},
 * {@code long}, {@code float}, {@code double}, an array field assigned as a whole.
 */
final class ObjectFields {
    /** One parameter of the kernel: its declaration, its type as the task interface names it, and where its value comes from. */
    record Parameter(String declaration, String type, String source) {
    }

    /**
     * The kernel: its parameters in order (the method's own, objects' fields in place of objects, then the receiver's fields),
     * its body, and the checks of objects' classes that the task makes ({@code "this.mdm=pkg.Outer$MyMap"}: the object there must
     * be of one of the classes listed, those whose method the kernel calls: {@link ObjectCalls}).
     */
    record Flattened(List<Parameter> parameters, String body, List<String> checks) {
    }

    /** A field chain's end that the method uses. */
    private static final class Leaf {
        final String source;
        final String name;
        final String type;
        boolean written;

        Leaf(String source, String name, String type) {
            this.source = source;
            this.name = name;
            this.type = type;
        }
    }

    /** A replacement of the source from {@code start} to {@code end}, its text known once the whole body is scanned. */
    private record Edit(int start, int end, Supplier<String> text) {
    }

    private static final Set<String> SCALARS = Set.of("int", "long", "float", "double");

    private final Trees trees;
    private final ExecutableElement method;
    private final MethodTree tree;
    private final TypeElement owner;
    private final boolean instance;
    private final Map<String, String> privateConstants;
    /** The leaves by source ({@code this.a.b}, {@code 0.b.c}), in order of first use. */
    private final Map<String, Leaf> leaves = new LinkedHashMap<>();
    private final List<Edit> edits = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    /** The locals that hold a new object of a class without fields ({@code FlinkMapUDF f = new FlinkMapUDF()}), by name. */
    private final Map<String, TypeElement> statelessLocals = new HashMap<>();
    private final ObjectCalls calls;
    private final CompilationUnitTree unit;
    private final SourcePositions positions;

    ObjectFields(Trees trees, ExecutableElement method, Map<String, String> privateConstants, ObjectCalls calls) {
        this.trees = trees;
        this.calls = calls;
        this.unit = trees.getPath(method).getCompilationUnit();
        this.positions = trees.getSourcePositions();
        this.method = method;
        this.tree = trees.getTree(method);
        this.owner = (TypeElement) method.getEnclosingElement();
        this.instance = !method.getModifiers().contains(Modifier.STATIC);
        this.privateConstants = privateConstants;
    }

    /** Whether a task method runs as a generated kernel: it is an instance method, or takes an object. */
    static boolean needsGeneratedKernel(ExecutableElement m, Trees trees) {
        return !m.getModifiers().contains(Modifier.STATIC) || m.getParameters().stream().anyMatch(p -> isObject(p.asType(), trees));
    }

    /** Whether values of {@code t} are objects whose fields a kernel takes: a class compiled now that no engine type stands for. */
    static boolean isObject(TypeMirror t, Trees trees) {
        if (!(t instanceof DeclaredType d) || !(d.asElement() instanceof TypeElement cls)
                || !(cls.getKind() == ElementKind.CLASS || cls.getKind() == ElementKind.RECORD)) {
            return false;
        }
        String name = cls.getQualifiedName().toString();
        return trees.getTree(cls) != null && !JavaTypes.isView(cls) && !name.startsWith("uk.ac.manchester.tornado.api.")
                && !name.startsWith("org.longnet.engine.");
    }

    /**
     * Where the task finds a parameter's value: {@code "2"} is the task's argument 2 (from 0), {@code "2.b.c"} field {@code c} of
     * field {@code b} of it, {@code "this.b"} field {@code b} of the receiver; {@code "[]"} at the end, a one-element array
     * holding the field's number, which comes back into the field after each execution.
     */
    static String sourceOf(String path, boolean written) {
        return written ? path + "[]" : path;
    }

    Flattened flatten() {
        TreePath methodPath = trees.getPath(method);
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitMemberSelect(MemberSelectTree sel, Void unused) {
                return chain(sel, getCurrentPath()) ? null : super.visitMemberSelect(sel, unused);
            }

            @Override
            public Void visitIdentifier(IdentifierTree id, Void unused) {
                if (!chain(id, getCurrentPath())) {
                    other(id, getCurrentPath());
                }
                return null;
            }

            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                if (v.getInitializer() instanceof NewClassTree n && statelessClass(n, getCurrentPath()) instanceof TypeElement c) {
                    // it holds nothing: its methods run as helpers, so the local and its allocation go
                    statelessLocals.put(v.getName().toString(), c);
                    edits.add(new Edit(start(v), end(v), () -> ""));
                    return null;
                }
                return super.visitVariable(v, unused);
            }
        }.scan(new TreePath(methodPath, tree.getBody()), null);
        Set<String> taken = declaredNames();
        for (Leaf leaf : leaves.values()) {
            if (taken.contains(leaf.name)) {
                throw new Rejected(tree, "the field " + leaf.source + " becomes the kernel parameter " + leaf.name + ", a name this method "
                        + "already declares: rename that variable");
            }
        }
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < tree.getParameters().size(); i++) {
            VariableTree p = tree.getParameters().get(i);
            if (isObject(method.getParameters().get(i).asType(), trees)) {
                String prefix = i + ".";
                leaves.values().stream().filter(l -> l.source.startsWith(prefix)).forEach(l -> parameters.add(parameter(l)));
            } else {
                parameters.add(new Parameter(text(p, List.of()), p.getType().toString(), Integer.toString(i)));
            }
        }
        leaves.values().stream().filter(l -> l.source.startsWith("this.")).forEach(l -> parameters.add(parameter(l)));
        return new Flattened(parameters, text(tree.getBody()), List.copyOf(checks));
    }

    private static Parameter parameter(Leaf leaf) {
        String type = leaf.type + (leaf.written ? "[]" : "");
        return new Parameter(type + " " + leaf.name, type, sourceOf(leaf.source, leaf.written));
    }

    /**
     * Handles {@code e} where it is a chain of fields from the receiver or an object parameter ({@code this.a.b}, {@code a.b},
     * {@code output} for {@code this.output}): records its leaf and the edit that puts the leaf's parameter in its place.
     * False where {@code e} starts elsewhere (a local, a class, a static member).
     */
    private boolean chain(ExpressionTree e, TreePath at) {
        List<ExpressionTree> nodes = new ArrayList<>();
        ExpressionTree root = e;
        while (root instanceof MemberSelectTree s) {
            nodes.add(0, s);
            root = s.getExpression();
        }
        if (!(root instanceof IdentifierTree id)) {
            return false;
        }
        String name = id.getName().toString();
        TypeMirror type;
        String source;
        String parameterName;
        int parameter = parameterIndex(name);
        boolean exact = false;
        if (statelessLocals.get(name) instanceof TypeElement c && ArgumentTypes.local(name, at) != null) {
            type = c.asType();
            source = name;
            parameterName = name;
            exact = true;
        } else if (name.equals("this") && instance) {
            type = owner.asType();
            source = "this";
            parameterName = "this";
        } else if (parameter >= 0 && isObject(method.getParameters().get(parameter).asType(), trees)) {
            type = method.getParameters().get(parameter).asType();
            source = Integer.toString(parameter);
            parameterName = name;
        } else if (instance && parameter < 0 && ArgumentTypes.local(name, at) == null && field(owner.asType(), name) != null) {
            nodes.add(0, id); // an unqualified field of the receiver: this.name
            type = owner.asType();
            source = "this";
            parameterName = "this";
        } else {
            return false;
        }
        for (int k = 0; k < nodes.size(); k++) {
            ExpressionTree node = nodes.get(k);
            String fieldName = node instanceof MemberSelectTree s ? s.getIdentifier().toString() : ((IdentifierTree) node).getName().toString();
            VariableElement f = field(type, fieldName);
            if (f == null) {
                if (pathOf(node, e, at).getParentPath().getLeaf() instanceof MethodInvocationTree call && call.getMethodSelect() == node) {
                    call(call, node, fieldName, type, source, parameterName, exact);
                    return true;
                }
                throw new Rejected(node, describe(source) + " has no field " + fieldName);
            }
            type = f.asType();
            source += "." + fieldName;
            parameterName += "_" + fieldName;
            if (!isObject(type, trees)) {
                leaf(node, pathOf(node, e, at), source, parameterName, type);
                return true;
            }
        }
        throw new Rejected(e, describe(source) + " is an object, used here as a value; a kernel takes the fields of an object that are "
                + "arrays or numbers, each as a parameter, so it may read and write those fields, not pass the object on or compare it");
    }

    /** The path of {@code node}, a part of the chain {@code e} whose path is {@code at}. */
    private static TreePath pathOf(ExpressionTree node, ExpressionTree e, TreePath at) {
        TreePath p = at;
        for (ExpressionTree cur = e; cur != node; ) {
            cur = ((MemberSelectTree) cur).getExpression();
            p = new TreePath(p, cur);
        }
        return p;
    }

    private void leaf(ExpressionTree node, TreePath where, String source, String name, TypeMirror type) {
        boolean written = writes(node, where);
        boolean scalar = type.getKind().isPrimitive();
        if (scalar && !SCALARS.contains(type.toString())) {
            throw new Rejected(node, describe(source) + " is a " + type + "; a kernel takes the number fields of objects that are int, long, "
                    + "float or double");
        }
        if (written && !scalar) {
            throw new Rejected(node, "assigns " + describe(source) + ", which the task passes to the kernel when it is added: a kernel may "
                    + "write the elements of an array field, not the field");
        }
        if (!scalar && !(type.getKind() == TypeKind.ARRAY || type.getKind() == TypeKind.DECLARED)) {
            throw new Rejected(node, describe(source) + " has the type " + type + ", which no kernel parameter has");
        }
        Leaf leaf = leaves.computeIfAbsent(source, s -> new Leaf(s, name, type.toString()));
        leaf.written |= written;
        edits.add(new Edit(start(node), end(node), () -> leaf.name + (leaf.written ? "[0]" : "")));
    }

    private static boolean writes(ExpressionTree node, TreePath where) {
        Tree parent = where.getParentPath().getLeaf();
        return parent instanceof AssignmentTree a && a.getVariable() == node
                || parent instanceof CompoundAssignmentTree c && c.getVariable() == node
                || parent instanceof UnaryTree u && u.getExpression() == node && switch (u.getKind()) {
                    case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT -> true;
                    default -> false;
                };
    }

    /**
     * A call of a method on an object ({@code source}, reached as {@code parameterName}): becomes a call of the helper made of
     * the method that runs there ({@link ObjectCalls}), passed, after the call's own arguments, the object's fields that the
     * method uses, which become leaves here.
     */
    private void call(MethodInvocationTree call, ExpressionTree select, String name, TypeMirror type, String source, String parameterName,
                      boolean exact) {
        ExecutableElement declared = calls.method(type, name, call.getArguments().size());
        if (declared == null) {
            throw new Rejected(select, describe(source) + " has no method " + name + " of " + call.getArguments().size() + " arguments");
        }
        ObjectCalls.Target target = calls.target(type, declared, exact, select, describe(source));
        ExecutableElement implementation = target.implementation();
        for (VariableElement p : implementation.getParameters()) {
            if (isObject(p.asType(), trees)) {
                throw new Rejected(select, "passes an object to " + name + "; a kernel takes objects' fields, not objects, so only the task's "
                        + "own method may take one");
            }
        }
        ObjectCalls.Helper helper = calls.helper(implementation,
                LauncherPrivates.constants((TypeElement) implementation.getEnclosingElement()), select);
        if (!exact) {
            checks.add(source + "=" + String.join(",", target.classes()));
        }
        for (String check : helper.flattened().checks()) {
            checks.add(source + check.substring("this".length()));
        }
        edits.add(new Edit(start(select), end(select), helper::name));
        List<Supplier<String>> passed = new ArrayList<>();
        for (Parameter p : helper.flattened().parameters()) {
            if (!p.source().startsWith("this.")) {
                continue;
            }
            boolean calleeWrites = p.source().endsWith("[]");
            String fields = p.source().substring("this".length(), p.source().length() - (calleeWrites ? 2 : 0));
            String leafType = calleeWrites ? p.type().substring(0, p.type().length() - 2) : p.type();
            Leaf leaf = leaves.computeIfAbsent(source + fields, s -> new Leaf(s, parameterName + fields.replace('.', '_'), leafType));
            leaf.written |= calleeWrites;
            passed.add(() -> leaf.name + (leaf.written && !calleeWrites ? "[0]" : ""));
        }
        if (!passed.isEmpty()) {
            int close = end(call) - 1;
            edits.add(new Edit(close, close, () -> (call.getArguments().isEmpty() ? "" : ", ")
                    + passed.stream().map(Supplier::get).collect(Collectors.joining(", "))));
        }
    }

    /** The class of {@code new C()} where C is a class of the program's without fields (its methods need no object), else null. */
    private TypeElement statelessClass(NewClassTree n, TreePath at) {
        if (!n.getArguments().isEmpty() || n.getClassBody() != null) {
            return null;
        }
        TypeElement c = calls.resolve(n.getIdentifier().toString(), at);
        if (c == null || !isObject(c.asType(), trees)) {
            return null;
        }
        for (TypeMirror t = c.asType(); t instanceof DeclaredType d && d.asElement() instanceof TypeElement cls; t = cls.getSuperclass()) {
            for (Element e : cls.getEnclosedElements()) {
                if (e.getKind() == ElementKind.FIELD && !e.getModifiers().contains(Modifier.STATIC)) {
                    return null;
                }
            }
        }
        return c;
    }

    /** An identifier that starts no field chain: a private constant of the class becomes its value; a call of an instance method is refused. */
    private void other(IdentifierTree id, TreePath at) {
        String name = id.getName().toString();
        if (ArgumentTypes.local(name, at) != null || parameterIndex(name) >= 0) {
            return;
        }
        if (at.getParentPath().getLeaf() instanceof MethodInvocationTree call && call.getMethodSelect() == id) {
            if (instance && calls.method(owner.asType(), name, call.getArguments().size()) != null) {
                call(call, id, name, owner.asType(), "this", "this", false);
            }
            return;
        }
        String constant = privateConstants.get(name);
        if (constant != null) {
            edits.add(new Edit(start(id), end(id), () -> constant));
        }
    }

    private int parameterIndex(String name) {
        for (int i = 0; i < tree.getParameters().size(); i++) {
            if (tree.getParameters().get(i).getName().contentEquals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The instance field {@code name} of the class {@code type}, declared there or inherited; null if none. */
    private static VariableElement field(TypeMirror type, String name) {
        for (TypeMirror t = type; t instanceof DeclaredType d && d.asElement() instanceof TypeElement cls; t = cls.getSuperclass()) {
            for (Element e : cls.getEnclosedElements()) {
                if (e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(name) && !e.getModifiers().contains(Modifier.STATIC)) {
                    return (VariableElement) e;
                }
            }
        }
        return null;
    }

    private String describe(String source) {
        if (!Character.isDigit(source.charAt(0))) {
            return source; // this..., or a local
        }
        int dot = source.indexOf('.');
        String param = tree.getParameters().get(Integer.parseInt(dot < 0 ? source : source.substring(0, dot))).getName().toString();
        return dot < 0 ? param : param + source.substring(dot);
    }

    private Set<String> declaredNames() {
        Set<String> names = new HashSet<>();
        new TreePathScanner<Void, Void>() {
            @Override
            public Void visitVariable(VariableTree v, Void unused) {
                names.add(v.getName().toString());
                return super.visitVariable(v, unused);
            }
        }.scan(trees.getPath(method), null);
        return names;
    }

    /** The source of {@code t} with the edits made. */
    private String text(Tree t) {
        return text(t, edits);
    }

    private String text(Tree t, List<Edit> replacements) {
        String source;
        try {
            source = unit.getSourceFile().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Edit> sorted = new ArrayList<>(replacements);
        sorted.sort(Comparator.comparingInt(Edit::start));
        StringBuilder out = new StringBuilder();
        int at = start(t);
        for (Edit e : sorted) {
            out.append(source, at, e.start()).append(e.text().get());
            at = e.end();
        }
        return out.append(source, at, end(t)).toString();
    }

    private int start(Tree t) {
        return (int) positions.getStartPosition(unit, t);
    }

    private int end(Tree t) {
        return (int) positions.getEndPosition(unit, t);
    }
}
