package uk.ac.manchester.tornado.api;

import org.longnet.engine.api.DeviceArray;
import org.longnet.engine.api.DeviceArrayView;
import org.longnet.engine.api.JavaArrays;
import org.longnet.engine.device.KernelInfo;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task1;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task2;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task3;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task4;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task5;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task6;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task7;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task8;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task9;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task10;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task11;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task12;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task13;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task14;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task15;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task16;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task17;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task18;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task19;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task20;
import org.longnet.engine.graph.PrebuiltKernel;
import uk.ac.manchester.tornado.api.common.LibraryTaskDescriptor;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask1;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask2;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask3;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask4;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask5;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask6;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask7;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask8;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask9;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask10;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask11;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask12;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask13;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask14;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask15;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask16;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask17;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask18;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask19;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.LibraryTask20;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.exceptions.TornadoRuntimeException;
import uk.ac.manchester.tornado.api.exceptions.TornadoTaskRuntimeException;

import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TornadoVM's task graph, on the engine's {@link org.longnet.engine.graph.TaskGraph}: transfers and tasks in order.
 * A task is any static method, handed over as a method reference with its arguments, a lambda, or a method on an object;
 * the engine's translator made it a kernel when its class was compiled (it finds the methods and lambdas passed to
 * {@code task}: {@link LambdaTasks}, {@link ObjectTasks}). Arrays are TornadoVM's ({@code types.arrays}), the engine's or
 * Java's; an object of the program's in a transfer stands for the arrays it holds.
 */
public class TaskGraph {
    private final org.longnet.engine.graph.TaskGraph graph;
    private final Set<Object> arguments = new LinkedHashSet<>();
    /** The arrays that the device holds by the time the next task runs: transferred, consumed, or used by a task. */
    private final Set<DeviceArray> onDevice = new HashSet<>();
    private final List<Object> outputs = new ArrayList<>();
    /**
     * The copies to the host not yet added to the engine's graph: as in TornadoVM, they come after every task of the graph,
     * wherever {@code transferToHost} is called (a program may name its outputs first), so they join it at the snapshot.
     */
    private final List<Runnable> pendingToHost = new ArrayList<>();
    /** The Java arrays that transferToDevice named, with its mode: rows of an array of arrays given alone ({@link LoneArraysOfArrays}). */
    private final Map<Object, Integer> transferredRows = new IdentityHashMap<>();
    private final Set<String> taskNames = new LinkedHashSet<>();

    public TaskGraph(String name) {
        this.graph = new org.longnet.engine.graph.TaskGraph(name);
    }

    public String getTaskGraphName() {
        return graph.name();
    }

    /** A task whose method takes no parameters. */
    public TaskGraph task(String id, Task code) {
        return add(id, code);
    }

    public <T1> TaskGraph task(String id, Task1<T1> code, T1 arg1) {
        return add(id, code, arg1);
    }

    public <T1, T2> TaskGraph task(String id, Task2<T1, T2> code, T1 arg1, T2 arg2) {
        return add(id, code, arg1, arg2);
    }

    public <T1, T2, T3> TaskGraph task(String id, Task3<T1, T2, T3> code, T1 arg1, T2 arg2, T3 arg3) {
        return add(id, code, arg1, arg2, arg3);
    }

    public <T1, T2, T3, T4> TaskGraph task(String id, Task4<T1, T2, T3, T4> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4) {
        return add(id, code, arg1, arg2, arg3, arg4);
    }

    public <T1, T2, T3, T4, T5> TaskGraph task(String id, Task5<T1, T2, T3, T4, T5> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5);
    }

    public <T1, T2, T3, T4, T5, T6> TaskGraph task(String id, Task6<T1, T2, T3, T4, T5, T6> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6);
    }

    // CHECKSTYLE.OFF: LineLength (TornadoVM's signatures, one per arity, each on its line)
    public <T1, T2, T3, T4, T5, T6, T7> TaskGraph task(String id, Task7<T1, T2, T3, T4, T5, T6, T7> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8> TaskGraph task(String id, Task8<T1, T2, T3, T4, T5, T6, T7, T8> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9> TaskGraph task(String id, Task9<T1, T2, T3, T4, T5, T6, T7, T8, T9> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> TaskGraph task(String id, Task10<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> TaskGraph task(String id, Task11<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> TaskGraph task(String id, Task12<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> TaskGraph task(String id, Task13<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> TaskGraph task(String id, Task14<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> TaskGraph task(String id, Task15<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> TaskGraph task(String id, Task16<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17> TaskGraph task(String id, Task17<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18> TaskGraph task(String id, Task18<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17, T18 arg18) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17, arg18);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19> TaskGraph task(String id, Task19<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17, T18 arg18, T19 arg19) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17, arg18, arg19);
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19, T20> TaskGraph task(String id, Task20<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19, T20> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17, T18 arg18, T19 arg19, T20 arg20) {
        return add(id, code, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17, arg18, arg19, arg20);
    }
    // CHECKSTYLE.ON: LineLength

    /**
     * A task that calls a native library: {@code code} is a binding that describes the call ({@link LibraryTaskDescriptor}),
     * called now with the arguments; a provider of the library on the class path runs it ({@link LibraryCalls}).
     */
    // CHECKSTYLE.OFF: LineLength (TornadoVM's signatures, one per arity)
    public <T1> TaskGraph libraryTask(String id, LibraryTask1<T1> code, T1 arg1) {
        return library(id, code.apply(arg1));
    }

    public <T1, T2> TaskGraph libraryTask(String id, LibraryTask2<T1, T2> code, T1 arg1, T2 arg2) {
        return library(id, code.apply(arg1, arg2));
    }

    public <T1, T2, T3> TaskGraph libraryTask(String id, LibraryTask3<T1, T2, T3> code, T1 arg1, T2 arg2, T3 arg3) {
        return library(id, code.apply(arg1, arg2, arg3));
    }

    public <T1, T2, T3, T4> TaskGraph libraryTask(String id, LibraryTask4<T1, T2, T3, T4> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4) {
        return library(id, code.apply(arg1, arg2, arg3, arg4));
    }

    public <T1, T2, T3, T4, T5> TaskGraph libraryTask(String id, LibraryTask5<T1, T2, T3, T4, T5> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5));
    }

    public <T1, T2, T3, T4, T5, T6> TaskGraph libraryTask(String id, LibraryTask6<T1, T2, T3, T4, T5, T6> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6));
    }

    public <T1, T2, T3, T4, T5, T6, T7> TaskGraph libraryTask(String id, LibraryTask7<T1, T2, T3, T4, T5, T6, T7> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8> TaskGraph libraryTask(String id, LibraryTask8<T1, T2, T3, T4, T5, T6, T7, T8> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9> TaskGraph libraryTask(String id, LibraryTask9<T1, T2, T3, T4, T5, T6, T7, T8, T9> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> TaskGraph libraryTask(String id, LibraryTask10<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> TaskGraph libraryTask(String id, LibraryTask11<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> TaskGraph libraryTask(String id, LibraryTask12<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> TaskGraph libraryTask(String id, LibraryTask13<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> TaskGraph libraryTask(String id, LibraryTask14<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> TaskGraph libraryTask(String id, LibraryTask15<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> TaskGraph libraryTask(String id, LibraryTask16<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17> TaskGraph libraryTask(String id, LibraryTask17<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18> TaskGraph libraryTask(String id, LibraryTask18<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17, T18 arg18) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17, arg18));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19> TaskGraph libraryTask(String id, LibraryTask19<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17, T18 arg18, T19 arg19) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17, arg18, arg19));
    }

    public <T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19, T20> TaskGraph libraryTask(String id, LibraryTask20<T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15, T16, T17, T18, T19, T20> code, T1 arg1, T2 arg2, T3 arg3, T4 arg4, T5 arg5, T6 arg6, T7 arg7, T8 arg8, T9 arg9, T10 arg10, T11 arg11, T12 arg12, T13 arg13, T14 arg14, T15 arg15, T16 arg16, T17 arg17, T18 arg18, T19 arg19, T20 arg20) {
        return library(id, code.apply(arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, arg10, arg11, arg12, arg13, arg14, arg15, arg16, arg17, arg18, arg19, arg20));
    }
    // CHECKSTYLE.ON: LineLength

    /**
     * A task whose kernel is {@code entryPoint} of the kernel file {@code filename}, written for the device (OpenCL C in a
     * {@code .cl} file; PTX in a {@code .ptx}, CUDA C in a {@code .cu} file), given the accessors' objects in their order ({@link PrebuiltTasks}). It
     * launches with the grid a GridScheduler gives {@code graph.id}, else as one work-item.
     */
    public TaskGraph prebuiltTask(String id, String entryPoint, String filename, AccessorParameters accessorParameters) {
        return prebuiltTask(id, entryPoint, filename, accessorParameters, null);
    }

    /** As {@link #prebuiltTask(String, String, String, AccessorParameters)}, the kernel also taking an int array of {@code atomics}' start values last. */
    public TaskGraph prebuiltTask(String id, String entryPoint, String filename, AccessorParameters accessorParameters, int[] atomics) {
        checkNewTask(id);
        PrebuiltKernel kernel = PrebuiltTasks.kernel(id, entryPoint, filename, accessorParameters, atomics);
        copyInFresh(List.of(kernel.args()));
        graph.prebuilt(id, kernel);
        taskNames.add(id);
        arguments.addAll(List.of(kernel.args()));
        return this;
    }

    private TaskGraph library(String id, LibraryTaskDescriptor call) {
        checkNewTask(id);
        copyInFresh(List.of(call.getParameters()));
        graph.library(id, new LibraryCalls(getTaskGraphName() + "." + id, call));
        taskNames.add(id);
        arguments.addAll(List.of(call.getParameters()));
        return this;
    }

    public TaskGraph transferToDevice(final int mode, Object... objects) {
        objects = LoneArraysOfArrays.whole(objects, arguments);
        for (Object o : objects) {
            if (JavaArrays.isJavaArray(o)) {
                transferredRows.put(o, mode);
            }
        }
        DeviceArray[] arrays = arrays("transferToDevice", objects);
        graph.transferToDevice(DataTransferMode.toEngine(mode), arrays);
        onDevice.addAll(List.of(arrays));
        return this;
    }

    public TaskGraph transferToHost(final int mode, Object... objects) {
        DeviceArray[] arrays = arrays("transferToHost", objects);
        pendingToHost.add(() -> {
            Object[] whole = LoneArraysOfArrays.whole(objects, arguments); // by now every task's arguments are known
            graph.transferToHost(DataTransferMode.toEngine(mode), whole == objects ? arrays : arrays("transferToHost", whole));
        });
        outputs.addAll(List.of(objects));
        return this;
    }

    /** Keeps these arrays on the device when the plan closes, for a graph of another plan to consume. */
    public TaskGraph persistOnDevice(Object... objects) {
        graph.persistOnDevice(arrays("persistOnDevice", objects));
        return this;
    }

    /** Uses the device's copy of these arrays, which another graph persisted there. */
    public TaskGraph consumeFromDevice(Object... objects) {
        DeviceArray[] arrays = arrays("consumeFromDevice", objects);
        graph.consumeFromDevice(arrays);
        onDevice.addAll(List.of(arrays));
        return this;
    }

    /** As {@link #consumeFromDevice(Object...)}: the device copy is found by the array, whichever graph left it. */
    public TaskGraph consumeFromDevice(String uniqueTaskGraphName, Object... objects) {
        return consumeFromDevice(objects);
    }

    public ImmutableTaskGraph snapshot() {
        pendingToHost.forEach(Runnable::run);
        pendingToHost.clear();
        List<DeviceArray> arrays = arguments.stream().map(DeviceArrayView::of).filter(java.util.Objects::nonNull).distinct().toList();
        return new ImmutableTaskGraph(graph.snapshot(), List.copyOf(taskNames), arrays);
    }

    /** Every argument of a task or transfer so far. */
    public Set<Object> getArgumentsLookup() {
        return Set.copyOf(arguments);
    }

    /** The objects transferred to the host. */
    public List<Object> getOutputs() {
        return List.copyOf(outputs);
    }

    /**
     * Adds a task. An array it uses that no transfer has put on the device is copied there before the task's first
     * execution, as TornadoVM's programs expect: a kernel may read it (TornadoVM's TestIf transfers its array only back)
     * or write part of it, and the rest must come back as the host had it.
     */
    private TaskGraph add(String id, Serializable code, Object... args) {
        checkNewTask(id);
        refuseSegments("task " + id, args);
        if (BoundTasks.of(code, args) instanceof BoundTasks.Replacement replacement) {
            return add(id, replacement.kernel(), replacement.args());
        }
        if (LambdaTasks.kernelOf(code) instanceof Serializable lambdaKernel) {
            return add(id, lambdaKernel, args);
        }
        if (BoundTasks.serialized(code).getImplMethodName().equals("kernel")) {
            // TornadoVM names the generated kernel after the method, and "kernel" is a keyword of OpenCL C: it refuses it.
            throw new TornadoRuntimeException("task " + id + ": its method is named kernel, a keyword of OpenCL C that TornadoVM "
                    + "refuses as a kernel's name; rename the method");
        }
        if (ObjectTasks.of(code, args) instanceof ObjectTasks.Bound bound) {
            if (bound.written().isEmpty()) {
                return add(id, bound.kernel(), bound.args());
            }
            // the fields' arrays are fresh, so add(...) puts them on the device first; the steps around the task keep them in step
            graph.library(id + "$fieldsIn", bound.written().copyIn());
            add(id, bound.kernel(), bound.args());
            graph.library(id + "$fieldsOut", bound.written().copyOut());
            return this;
        }
        copyInFresh(List.of(args));
        try {
            graph.taskOf(id, code, args);
        } catch (KernelInfo.NotTranslated bailout) {
            graph.library(id, new BailoutTask(getTaskGraphName() + "." + id, bailout.method(), args, bailout.reason()));
        }
        taskNames.add(id);
        arguments.addAll(List.of(args));
        return this;
    }

    private void checkNewTask(String id) {
        if (taskNames.contains(id)) {
            throw new TornadoTaskRuntimeException("task graph " + getTaskGraphName() + " already has a task named " + id);
        }
    }

    /** Copies to the device, on the first execution, the arrays among {@code args} that nothing put there yet (see {@link #add}). */
    private void copyInFresh(List<Object> args) {
        List<DeviceArray> fresh = new ArrayList<>();
        for (Object a : args) {
            if (DeviceArrayView.of(a) instanceof DeviceArray array && onDevice.add(array)) {
                Integer rowsMode = LoneArraysOfArrays.modeOfRows(a, transferredRows);
                if (rowsMode != null) {
                    graph.transferToDevice(DataTransferMode.toEngine(rowsMode), array);
                } else {
                    fresh.add(array);
                }
            }
        }
        if (!fresh.isEmpty()) {
            graph.transferToDevice(DataTransferMode.toEngine(DataTransferMode.FIRST_EXECUTION), fresh.toArray(DeviceArray[]::new));
        }
    }

    /**
     * As TornadoVM: a bare {@link MemorySegment} is no task argument (a kernel could not tell its element type or length), so
     * the translator writes no kernel for a method that takes one, and a task graph refuses one.
     */
    private static void refuseSegments(String call, Object... objects) {
        for (int i = 0; i < objects.length; i++) {
            if (objects[i] instanceof MemorySegment) {
                throw new TornadoRuntimeException(call + ": argument " + (i + 1) + " is a MemorySegment, which is no task argument; wrap it "
                        + "in a TornadoVM array (FloatArray.fromSegment copies it, fromSegmentShallow uses it as it is)");
            }
        }
    }

    /**
     * The engine arrays among {@code objects}; scalars (boxed primitives) are passed by value with each task, so they are
     * skipped, and rejected in transferToHost. A KernelContext is skipped too, as TornadoVM's programs transfer it: the
     * device makes each work-item's, so there is nothing to copy.
     */
    private DeviceArray[] arrays(String call, Object... objects) {
        refuseSegments(call, objects);
        List<DeviceArray> out = new ArrayList<>();
        for (int i = 0; i < objects.length; i++) {
            if (objects[i] instanceof org.longnet.engine.api.KernelContext) {
                continue;
            }
            boolean counter = objects[i] instanceof AtomicInteger; // a Number, but one int the kernel writes
            if (!counter && (objects[i] instanceof Number || objects[i] instanceof Boolean || objects[i] instanceof Character)) {
                if (call.equals("transferToHost")) {
                    // As TornadoVM: a scalar is a copy of the caller's value, so no kernel result can come back in it.
                    throw new TornadoRuntimeException("transferToHost takes arrays; argument " + (i + 1) + " is the scalar " + objects[i]
                            + ", which a kernel cannot write back: pass a one-element array");
                }
                continue;
            }
            DeviceArray array = DeviceArrayView.of(objects[i]);
            if (array == null && ObjectTasks.arraysOf(objects[i]) instanceof List<DeviceArray> held) {
                // an object of the program's: its arrays move, as TornadoVM moves an object's fields
                arguments.add(objects[i]);
                out.addAll(held);
                continue;
            }
            if (array == null) {
                throw new IllegalArgumentException(call + " takes arrays (types.arrays.FloatArray and its kin, or Java's float[], int[], "
                        + "double[], long[], short[], char[], byte[]); argument " + (i + 1) + " is "
                        + (objects[i] == null ? "null" : "a " + objects[i].getClass().getSimpleName()));
            }
            arguments.add(objects[i]);
            out.add(array);
        }
        return out.stream().distinct().toArray(DeviceArray[]::new);
    }
}
