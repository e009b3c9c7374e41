package uk.ac.manchester.tornado.api.common;

/** How a prebuilt or library task uses one of its parameters (TornadoVM's access bits: read 1, write 2). */
public enum Access {
    NONE((byte) 0b00),
    READ_ONLY((byte) 0b01),
    WRITE_ONLY((byte) 0b10),
    READ_WRITE((byte) 0b11);

    public final byte position;

    Access(byte position) {
        this.position = position;
    }

    public static Access[] asArray() {
        return values();
    }
}
