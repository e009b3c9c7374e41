package org.longnet.tornado.libraries;

import org.longnet.engine.device.Device;
import org.longnet.engine.device.cuda.CudaDevice;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A library of GEMMs ({@link GemmCall}s) and other functions, all run on the host ({@link HostGemm}), except plain GEMMs on
 * a cuda device: those run there through the engine's cuBLAS binding ({@link EngineGemm}), where the arrays already are.
 */
public class GemmLibrary extends HostLibrary {
    private final Map<String, Function<Call, GemmCall>> gemms;

    protected GemmLibrary(String library, Map<String, Function<Call, GemmCall>> gemms, Map<String, Consumer<Call>> others) {
        super(library, functions(gemms, others));
        this.gemms = Map.copyOf(gemms);
    }

    private static Map<String, Consumer<Call>> functions(Map<String, Function<Call, GemmCall>> gemms, Map<String, Consumer<Call>> others) {
        Map<String, Consumer<Call>> all = new HashMap<>(others);
        gemms.forEach((name, gemm) -> all.put(name, call -> HostGemm.run(gemm.apply(call))));
        return all;
    }

    @Override
    protected OptionalLong onDevice(Call call, Device device, boolean timed) {
        Function<Call, GemmCall> gemm = gemms.get(call.function());
        if (!(device instanceof CudaDevice) || gemm == null) {
            return OptionalLong.empty();
        }
        return EngineGemm.of(gemm.apply(call)).map(g -> OptionalLong.of(EngineGemm.run(g, device, timed))).orElse(OptionalLong.empty());
    }
}
