package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a local of a {@code @Parallel} loop's body, an array index, whose value no two iterations of the {@code @Parallel}
 * loops around its declaration share: the author's promise, for an index whose form the build cannot prove distinct (a
 * scatter through a table that is a permutation, a row stride that a parameter gives). Writes at it are then taken as one
 * element per iteration, as {@code i} or {@code i * s + j} (j counting from 0 up to s) are; a broken promise is a data race.
 */
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.LOCAL_VARIABLE)
public @interface DistinctIndex {
}
