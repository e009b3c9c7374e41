package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method as a kernel: at build time the translator checks that its body stays
 * inside the supported Java subset and emits OpenCL C, CUDA C and a JVM launcher for it.
 * Static helpers of the same class that a kernel calls become device functions, as do the static
 * methods of {@link DeviceFunctions} classes, which kernels of any class share.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Kernel {
    /**
     * The work-group size every launch of this kernel uses, or 0 for any. With {@link #minGroupsPerUnit}
     * it tells the CUDA compiler how many registers a work-item may take ({@code __launch_bounds__});
     * a launch with another size then fails. Other devices ignore it.
     */
    int groupSize() default 0;

    /**
     * How many work-groups of {@link #groupSize} should fit on one multiprocessor at once (0: no
     * demand): on CUDA the compiler keeps registers low enough for them, spilling if it must.
     */
    int minGroupsPerUnit() default 0;

    /**
     * Work-groups per thread-block cluster (1 to {@link Clusters#MAX_SIZE}), or 0 for a kernel without clusters: its
     * launches run consecutive groups along x in clusters of this many, which {@link Clusters} connects. The number of
     * groups along x must then be a multiple of it.
     */
    int clusterSize() default 0;
}
