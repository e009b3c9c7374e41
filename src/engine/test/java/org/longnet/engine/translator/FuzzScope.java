package org.longnet.engine.translator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The locals a generated kernel can see at the statement being written, block by block. A variable
 * that is not writable is read-only from here on: a loop counter (so every loop ends), or a local
 * declared outside a {@code @Parallel} loop (each work-item has its own copy, while the JVM runs the
 * iterations of a slice one after another on the same variable).
 */
final class FuzzScope {
    record Var(String name, FuzzType type) {
    }

    /** A private ({@code new int[N]}) or work-group local array of {@code int} or {@code float}; sizes are powers of two. */
    record Array(String name, FuzzType element, int size) {
    }

    private final Deque<List<Var>> vars = new ArrayDeque<>();
    private final Deque<List<Array>> arrays = new ArrayDeque<>();
    private final List<Var> readOnly = new ArrayList<>();
    private final List<Array> readOnlyArrays = new ArrayList<>();
    private int names;

    FuzzScope() {
        push();
    }

    void push() {
        vars.push(new ArrayList<>());
        arrays.push(new ArrayList<>());
    }

    void pop() {
        vars.pop().forEach(readOnly::remove);
        arrays.pop().forEach(readOnlyArrays::remove);
    }

    /** A name no other local of the kernel has. */
    String fresh(String prefix) {
        return prefix + names++;
    }

    Var declare(FuzzType type, String name) {
        Var v = new Var(name, type);
        vars.peek().add(v);
        return v;
    }

    Var declareReadOnly(FuzzType type, String name) {
        Var v = declare(type, name);
        readOnly.add(v);
        return v;
    }

    /** Makes every variable and array declared so far read-only (entering a {@code @Parallel} loop). */
    void freezeAll() {
        vars.forEach(readOnly::addAll);
        arrays.forEach(readOnlyArrays::addAll);
    }

    Array declareArray(FuzzType element, int size, String name) {
        Array a = new Array(name, element, size);
        arrays.peek().add(a);
        return a;
    }

    List<Var> visible(FuzzType type) {
        List<Var> out = new ArrayList<>();
        vars.forEach(frame -> frame.stream().filter(v -> v.type() == type).forEach(out::add));
        return out;
    }

    List<Var> writable(FuzzType type) {
        return visible(type).stream().filter(v -> !readOnly.contains(v)).toList();
    }

    List<Array> arrays(FuzzType element) {
        List<Array> out = new ArrayList<>();
        arrays.forEach(frame -> frame.stream().filter(a -> a.element() == element).forEach(out::add));
        return out;
    }

    List<Array> writableArrays(FuzzType element) {
        return arrays(element).stream().filter(a -> !readOnlyArrays.contains(a)).toList();
    }
}
