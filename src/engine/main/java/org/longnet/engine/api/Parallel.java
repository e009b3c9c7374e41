package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the index of a {@code for} loop whose iterations are independent: each iteration becomes
 * a work-item. Up to three nested {@code @Parallel} loops give a 1, 2 or 3-dimensional range;
 * the innermost one is the fastest-varying dimension (x) on the device.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.LOCAL_VARIABLE)
public @interface Parallel {
}
