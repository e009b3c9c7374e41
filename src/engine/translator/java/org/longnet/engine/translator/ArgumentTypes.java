package org.longnet.engine.translator;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.PrimitiveTypeTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java type of a task's argument, read from the source before attribution, as the type of the task lambda's parameter
 * that receives it: a literal's, a cast's, a {@code new} expression's, an array's {@code length}, arithmetic on those (with
 * Java's numeric promotion), or the declared type of
 * the variable or field it names (for {@code var}, its initializer's). Anything else has no type here (null), and the
 * lambda must then declare its parameters' types. Boxed types read as their primitives, since a kernel takes scalars by
 * value and the task unboxes them.
 */
final class ArgumentTypes {
    private static final Map<String, String> UNBOXED = Map.of("Integer", "int", "Long", "long", "Float", "float", "Double", "double",
            "Short", "short", "Byte", "byte", "Character", "char", "Boolean", "boolean");

    private final Trees trees;

    ArgumentTypes(Trees trees) {
        this.trees = trees;
    }

    /** The source spelling of a type, a boxed type as its primitive. */
    static String unboxed(String type) {
        String simple = type.startsWith("java.lang.") ? type.substring("java.lang.".length()) : type;
        return UNBOXED.getOrDefault(simple, type);
    }

    /** The type of {@code arg}, an argument of the call at {@code where}, or null where the source does not tell it. */
    String of(ExpressionTree arg, TreePath where) {
        return switch (arg) {
            case ParenthesizedTree p -> of(p.getExpression(), where);
            case LiteralTree l -> switch (l.getKind()) {
                case INT_LITERAL -> "int";
                case LONG_LITERAL -> "long";
                case FLOAT_LITERAL -> "float";
                case DOUBLE_LITERAL -> "double";
                case CHAR_LITERAL -> "char";
                case BOOLEAN_LITERAL -> "boolean";
                default -> null;
            };
            case UnaryTree u when u.getKind() == Tree.Kind.UNARY_MINUS || u.getKind() == Tree.Kind.UNARY_PLUS -> of(u.getExpression(), where);
            case TypeCastTree c -> unboxed(c.getType().toString());
            case NewClassTree n when n.getClassBody() == null && n.getTypeArguments().isEmpty() -> n.getIdentifier().toString();
            case NewArrayTree n when n.getType() != null -> n.getType() + "[]".repeat(Math.max(1, n.getDimensions().size()));
            case MemberSelectTree s when s.getIdentifier().contentEquals("length") && of(s.getExpression(), where) instanceof String t
                    && t.endsWith("[]") -> "int";
            case IdentifierTree id -> declared(id.getName().toString(), where);
            case BinaryTree b when ARITHMETIC.contains(b.getKind()) -> promoted(of(b.getLeftOperand(), where), of(b.getRightOperand(), where));
            default -> null;
        };
    }

    private static final Set<Tree.Kind> ARITHMETIC = Set.of(Tree.Kind.PLUS, Tree.Kind.MINUS, Tree.Kind.MULTIPLY, Tree.Kind.DIVIDE,
            Tree.Kind.REMAINDER);
    private static final List<String> WIDENING = List.of("double", "float", "long", "int", "char", "short", "byte");

    /** Java's binary numeric promotion of two primitive operand types; null if either is no number's. */
    private static String promoted(String a, String b) {
        if (a == null || b == null || !WIDENING.contains(a) || !WIDENING.contains(b)) {
            return null;
        }
        String wider = WIDENING.get(Math.min(WIDENING.indexOf(a), WIDENING.indexOf(b)));
        return WIDENING.indexOf(wider) > WIDENING.indexOf("int") ? "int" : wider;
    }

    /** The type of the variable {@code name} as seen at {@code where}: a local, a parameter, or a field of an enclosing class. */
    private String declared(String name, TreePath where) {
        for (TreePath p = where; p != null; p = p.getParentPath()) {
            Tree leaf = p.getLeaf();
            if (declaredIn(name, p, where) instanceof VariableTree v) {
                return variableType(v, p);
            }
            if (leaf instanceof ClassTree && trees.getElement(p) instanceof TypeElement cls) {
                for (Element e : cls.getEnclosedElements()) {
                    if (e.getKind() == ElementKind.FIELD && e.getSimpleName().contentEquals(name)) {
                        return unboxed(e.asType().toString());
                    }
                }
            }
        }
        return null;
    }

    /**
     * The local variable or parameter {@code name} that Java's scoping sees at {@code where}, declared in a method, lambda or
     * block no further out than the nearest class; null if none (the name is a field's, or no variable's).
     */
    static VariableTree local(String name, TreePath where) {
        for (TreePath p = where; p != null && !(p.getLeaf() instanceof ClassTree); p = p.getParentPath()) {
            if (declaredIn(name, p, where) instanceof VariableTree v) {
                return v;
            }
        }
        return null;
    }

    /** The variable {@code name} that the scope {@code p} (a block, method, lambda or loop) declares before {@code where}, or null. */
    private static VariableTree declaredIn(String name, TreePath p, TreePath where) {
        List<? extends Tree> scope = switch (p.getLeaf()) {
            case BlockTree b -> before(b.getStatements(), p, where);
            case MethodTree m -> m.getParameters();
            case LambdaExpressionTree l -> l.getParameters();
            case ForLoopTree f -> f.getInitializer();
            case EnhancedForLoopTree f -> List.of(f.getVariable());
            default -> List.of();
        };
        for (Tree t : scope) {
            if (t instanceof VariableTree v && v.getName().contentEquals(name)) {
                return v;
            }
        }
        return null;
    }

    private String variableType(VariableTree v, TreePath scope) {
        Tree type = v.getType();
        if (type == null || type.toString().equals("var")) {
            return v.getInitializer() == null ? null : of(v.getInitializer(), scope);
        }
        return type instanceof PrimitiveTypeTree ? type.toString() : unboxed(type.toString());
    }

    /** The statements of {@code block} before the one that holds {@code where} (all of them if none does). */
    private static List<? extends StatementTree> before(List<? extends StatementTree> statements, TreePath block, TreePath where) {
        for (TreePath p = where; p != null && p.getParentPath() != null; p = p.getParentPath()) {
            if (p.getParentPath() == block || p.getParentPath().getLeaf() == block.getLeaf()) {
                int at = statements.indexOf(p.getLeaf());
                return at < 0 ? statements : statements.subList(0, at);
            }
        }
        return statements;
    }
}
