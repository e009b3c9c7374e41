package org.longnet.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What every JMH benchmark here shares (JMH passes class annotations and parameters on to
 * subclasses): the average time of one call, in a forked JVM with the flags the devices need, on
 * each device named by {@code -p device=...}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED"})
public abstract class DeviceBenchmark {
    @Param({"jvm", "opencl"})
    public String device;
}
