package org.longnet.tornado.helpers;

/** A plain class whose static method another plain class's helper calls, statically imported there. */
public final class PlainScalars {
    private PlainScalars() {
    }

    public static float square(float x) {
        return x * x;
    }
}
