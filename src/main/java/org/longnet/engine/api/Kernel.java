package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method as a kernel: at build time the translator checks that its body stays
 * inside the supported Java subset and emits OpenCL C, CUDA C and a JVM launcher for it.
 * Static helpers of the same class that a kernel calls become device functions.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Kernel {
}
