package org.longnet.tornado.libraries;

/** The element-wise functions that epilogues and cuDNN apply, in double. */
public enum Activation {
    IDENTITY {
        @Override
        public double apply(double x) {
            return x;
        }
    },
    RELU {
        @Override
        public double apply(double x) {
            return Math.max(0, x);
        }
    },
    /** GELU in its tanh form, as cuBLASLt's epilogue computes it. */
    GELU_TANH {
        @Override
        public double apply(double x) {
            return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        }
    },
    /** GELU exactly, {@code x * Phi(x)}, as CUTLASS's GELU epilogue computes it. */
    GELU_ERF {
        @Override
        public double apply(double x) {
            return 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
        }
    },
    SIGMOID {
        @Override
        public double apply(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    },
    /** {@code x * sigmoid(x)} (swish). */
    SILU {
        @Override
        public double apply(double x) {
            return x / (1 + Math.exp(-x));
        }
    },
    TANH {
        @Override
        public double apply(double x) {
            return Math.tanh(x);
        }
    },
    /** {@code x * relu6(x + 3) / 6}. */
    HARDSWISH {
        @Override
        public double apply(double x) {
            return x * Math.min(6, Math.max(0, x + 3)) / 6;
        }
    };

    public abstract double apply(double x);
}
