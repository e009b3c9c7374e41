package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class of another API that kernels use in place of an engine type (TornadoVM's
 * {@code FloatArray} for {@link FloatArray}, its {@code TornadoMath} for {@link KernelMath}). The
 * translator reads the marked type as {@link #value()}: a method of the marked class becomes the
 * intrinsic of {@code value()} with the same name and parameter types, or, failing that, the one with
 * the same name and number of parameters (an {@code int} index stands for a {@code long} one).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KernelView {
    /** The engine type this class stands for in kernels. */
    Class<?> value();
}
