package uk.ac.manchester.tornado.api.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * TornadoVM's mark for an array that a {@code @Parallel} loop reduces into, as in
 * {@code result.set(0, result.get(0) + input.get(i))}. The engine's translator treats it as its own
 * {@code org.longnet.engine.api.Reduce}, whose documentation gives the update forms it accepts.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.LOCAL_VARIABLE, ElementType.FIELD})
public @interface Reduce {
}
