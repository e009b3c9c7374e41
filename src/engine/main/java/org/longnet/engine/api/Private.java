package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a device function's {@code float[]} or {@code int[]} parameter that takes its caller's private array (a
 * register tile, {@code new float[32]}) rather than a work-group local one, which is what such a parameter takes
 * otherwise. The function then reads and writes the caller's registers, as a kernel's softmax step updates its
 * scores and row state: on CUDA the inlined function's array stays in registers; on OpenCL it is a private pointer.
 * A call passes a private array of the calling method by name, and no local array may go where this mark is.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Private {
}
