package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an array parameter that the iterations of a {@code @Parallel} loop reduce into, as in
 * {@code result.set(0, result.get(0) + x.get(i))}: the element keeps its value before the kernel
 * and gains every iteration's contribution, as the sequential loop would give it (up to the order of
 * floating-point additions). Each update must be {@code r.set(k, r.get(k) OP e)} with OP one of
 * {@code + *}, or {@code r.set(k, KernelMath.max(r.get(k), e))} (or {@code min}), where {@code k} is
 * the same in get and set. On every device each work-item combines its iterations in a register, then
 * adds its part to the element atomically.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Reduce {
}
