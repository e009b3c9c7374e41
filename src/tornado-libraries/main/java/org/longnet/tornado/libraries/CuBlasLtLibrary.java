package org.longnet.tornado.libraries;

import uk.ac.manchester.tornado.cublas.CuBlasLt;

import java.util.Map;

/** The functions of {@link CuBlasLt}: GEMMs, those with a bias (its 14th parameter) or GELU on the host alone. */
public final class CuBlasLtLibrary extends GemmLibrary {
    public CuBlasLtLibrary() {
        super(CuBlasLt.LIBRARY_NAME, Map.of(
                "ltMatmulFP32", GemmCall::of,
                "ltMatmulFP16", GemmCall::of,
                "ltMatmulFP8", GemmCall::of,
                "ltMatmulBiasFP16", call -> GemmCall.of(call).withBias(call.param(13, Object.class)),
                "ltMatmulGeluBiasFP16", call -> GemmCall.of(call).withBias(call.param(13, Object.class)).then(Activation.GELU_TANH)),
                Map.of());
    }
}
