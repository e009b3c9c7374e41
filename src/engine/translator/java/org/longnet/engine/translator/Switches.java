package org.longnet.engine.translator;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CaseLabelTree;
import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ConstantCaseLabelTree;
import com.sun.source.tree.DefaultCaseLabelTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;

import javax.lang.model.element.Element;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.longnet.engine.translator.Expressions.unparen;

/**
 * A {@code switch} statement on an int, short, byte or char as C's own switch: case labels are the constants' values,
 * a group of statements falls through to the next as in Java, and an arrow case ({@code case 1 -> ...}) ends with a
 * break, as Java's does not fall through. Each group's statements get a block of their own, so a declaration may
 * follow a label (C forbids that, and C++ forbids jumping past one into its scope); a local declared under one label
 * and used under another, which Java allows, is rejected.
 */
final class Switches {
    private static final Set<String> SELECTOR_TYPES = Set.of("int", "short", "byte", "char");

    private Switches() {
    }

    static String statement(SwitchTree sw, int depth, MethodScope s, Expressions e, Statements statements) {
        String selector = s.javaType(sw.getExpression());
        if (!SELECTOR_TYPES.contains(selector)) {
            throw new Rejected(sw.getExpression(), "a switch in a kernel must be on an int, short, byte or char, not " + selector);
        }
        checkScopes(sw, s);
        String inner = "    ".repeat(depth + 1);
        StringBuilder out = new StringBuilder("switch (").append(unparen(e.expr(sw.getExpression()))).append(") {\n");
        for (CaseTree c : sw.getCases()) {
            if (c.getGuard() != null) {
                throw new Rejected(c.getGuard(), "a case guard (when) is not allowed in a kernel");
            }
            for (CaseLabelTree label : c.getLabels()) {
                out.append(inner).append(label(label, e)).append('\n');
            }
            if (c.getCaseKind() == CaseTree.CaseKind.RULE) {
                Tree body = c.getBody();
                String translated = body instanceof ExpressionTree x ? unparen(e.expr(x)) + ";"
                        : body instanceof BlockTree b ? statements.block(b, depth + 1) : statements.statement((StatementTree) body, depth + 1);
                out.append(inner).append("{ ").append(translated).append(" break; }\n");
            } else if (!c.getStatements().isEmpty()) {
                out.append(inner).append("{\n");
                for (StatementTree st : c.getStatements()) {
                    out.append(inner).append("    ").append(statements.statement(st, depth + 2)).append('\n');
                }
                out.append(inner).append("}\n");
            }
        }
        return out.append("    ".repeat(depth)).append('}').toString();
    }

    private static String label(CaseLabelTree label, Expressions e) {
        if (label instanceof DefaultCaseLabelTree) {
            return "default:";
        }
        if (label instanceof ConstantCaseLabelTree c && e.constant(c.getConstantExpression()) instanceof Object value) {
            Object number = value instanceof Character ch ? (int) ch : value;
            if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
                return "case " + number + ":";
            }
        }
        throw new Rejected(label, "a case label in a kernel must be an int, short, byte or char constant, or default");
    }

    /** Rejects a local declared among one label's statements and used among another's: each group is a C block of its own. */
    private static void checkScopes(SwitchTree sw, MethodScope s) {
        List<? extends CaseTree> cases = sw.getCases();
        for (int k = 0; k < cases.size(); k++) {
            Set<Element> declared = new HashSet<>();
            for (StatementTree st : cases.get(k).getStatements() == null ? List.<StatementTree>of() : cases.get(k).getStatements()) {
                if (st instanceof VariableTree v) {
                    declared.add(s.element(v));
                }
            }
            for (CaseTree later : cases.subList(k + 1, cases.size())) {
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitIdentifier(IdentifierTree id, Void unused) {
                        if (declared.contains(s.element(id))) {
                            throw new Rejected(id, id.getName() + " is declared under one case label of a switch and used under a later one: "
                                    + "declare it before the switch");
                        }
                        return null;
                    }
                }.scan(later, null);
            }
        }
    }
}
