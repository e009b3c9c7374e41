package org.longnet.engine.device.cuda;

/** The architecture names NVRTC compiles for ({@code sm_XY}, {@code sm_XYa}) and what they say about the hardware. */
final class CudaArch {
    /** Hopper's architecture-specific target, the only one with the asynchronous warpgroup products (wgmma). */
    static final String HOPPER_TARGET = "sm_90a";

    private CudaArch() {
    }

    /**
     * What NVRTC compiles for: sm_90a on Hopper (sm 9.0), whose warpgroup matrix instructions
     * (KernelContext.mmaBf16Warpgroup) exist only in that architecture-specific target; sm_XY
     * elsewhere. The system property {@code longnet.cuda.arch} overrides it, so that tests can
     * check the portable path (plain sm_90) on a Hopper GPU too.
     */
    static String of(int major, int minor) {
        String forced = System.getProperty("longnet.cuda.arch", "");
        if (!forced.isBlank()) {
            if (!forced.matches("sm_[0-9]+a?")) {
                throw new IllegalArgumentException("longnet.cuda.arch must look like sm_90 or sm_90a, was '" + forced + "'");
            }
            return forced;
        }
        return major == 9 && minor == 0 ? HOPPER_TARGET : "sm_" + major + minor;
    }

    /** Whether {@code arch} is Hopper's or a later one: clusters, the tensor memory accelerator and mbarriers with transactions. */
    static boolean hopperOrLater(String arch) {
        return Integer.parseInt(arch.replaceAll("\\D", "")) >= 90;
    }
}
