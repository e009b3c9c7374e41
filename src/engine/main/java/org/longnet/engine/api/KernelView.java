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

    /**
     * The view's number of dimensions. A view of 2 or 3 (TornadoVM's matrices) is a row-major array of
     * {@link #value()}'s elements whose extents ({@link DeviceArrayView#extents()}: rows, columns, then depth)
     * reach kernels as int arguments after its length; its kernel methods are {@code get(i, j)},
     * {@code set(i, j, v)} (one more index in 3 dimensions), {@code getNumRows()}, {@code getNumColumns()} and
     * {@code getNumDepth()}.
     */
    int dimensions() default 1;
}
