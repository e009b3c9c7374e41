package org.longnet.engine.translator;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;

import java.util.HashSet;
import java.util.Set;

/**
 * The names a method declares itself: its parameters and every local (lambda parameters too). Before
 * attribution a name is all there is, and a field of one of these names is hidden by the declaration
 * (TornadoVM's tests name kernel parameters as the private fields that hold their arguments), so such a
 * name in the method is not taken for the field. A local hides the field only in its block; counting it
 * for the whole method can only let a use of the field through, which then fails to compile in the
 * generated launcher, never changes what runs.
 */
final class DeclaredNames {
    private DeclaredNames() {
    }

    static Set<String> of(MethodTree method) {
        Set<String> names = new HashSet<>();
        method.getParameters().forEach(p -> names.add(p.getName().toString()));
        if (method.getBody() != null) {
            new TreeScanner<Void, Void>() {
                @Override
                public Void visitVariable(VariableTree v, Void unused) {
                    names.add(v.getName().toString());
                    return super.visitVariable(v, unused);
                }
            }.scan(method.getBody(), null);
        }
        return names;
    }
}
