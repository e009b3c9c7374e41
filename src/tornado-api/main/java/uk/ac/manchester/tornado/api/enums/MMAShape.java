package uk.ac.manchester.tornado.api.enums;

/**
 * The tile shapes of TornadoVM's warp matrix products ({@code KernelContext.mma} and its kin), named as PTX names them:
 * {@code M16N8K16} for fp16 and bf16 operands (a 16 x 16 A, a 16 x 8 B), {@code M16N8K32} for int8 and fp8 operands
 * (a 16 x 32 A, a 32 x 8 B). The operand type comes from the method called, not from the shape.
 */
public enum MMAShape {
    M16N8K16("m16n8k16"),
    M16N8K32("m16n8k32");

    private final String ptxName;

    MMAShape(String ptxName) {
        this.ptxName = ptxName;
    }

    /** The shape as PTX's {@code mma.sync} spells it. */
    public String getPtxName() {
        return ptxName;
    }
}
