package org.longnet.tornado.libraries;

/** The error function in double, which {@link Math} lacks: its Taylor series near 0, erfc's continued fraction beyond. */
final class Erf {
    /** Where the series gives way to the continued fraction: both are accurate to about 1e-15 around it. */
    private static final double SPLIT = 2.5;

    private Erf() {
    }

    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        double value = a < SPLIT ? series(a) : 1 - erfcFraction(a);
        return Math.copySign(value, x);
    }

    /** {@code 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1))}. */
    private static double series(double x) {
        double term = x, sum = x, x2 = x * x;
        for (int n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
            term *= -x2 / n;
            sum += term / (2 * n + 1);
        }
        return sum * 2 / Math.sqrt(Math.PI);
    }

    /** {@code erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))}, for x >= SPLIT, from its tail. */
    private static double erfcFraction(double x) {
        if (x > 27) {
            return 0;
        }
        double tail = x;
        for (int n = 80; n >= 1; n--) {
            tail = x + (n / 2.0) / tail;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / tail;
    }
}
