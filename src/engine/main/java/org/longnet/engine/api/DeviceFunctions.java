package org.longnet.engine.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class whose static methods are device functions that any kernel may call: shared code
 * (indexing, masks, reductions, tile movement) written once for the kernels of many classes and
 * modules. The name says what the class becomes: its methods are translated like a kernel's own
 * static helpers, with the same rules (the kernel subset; arrays passed by name; no recursion), and
 * every kernel that calls one gets a copy of the functions it reaches in its generated C. On the
 * jvm device they are plain Java calls.
 * <p>
 * Every method of the class must be static and translatable, even one no kernel calls yet: the
 * translator checks and translates them all when it compiles the class, and writes them next to its
 * class file ({@code Name.devicefunctions}), so kernels compiled later against the class file alone
 * (in another module) can call them. An overloaded name gives each overload a C name of its own, and the
 * class holds no {@code @Kernel} methods. Barriers in a device function count as barriers of every
 * kernel that reaches it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface DeviceFunctions {
}
