package uk.ac.manchester.tornado.api.runtime;

import uk.ac.manchester.tornado.api.TornadoRuntime;

/** The runtime, found once: the engine's backends and devices. */
public final class TornadoRuntimeProvider {
    private static TornadoRuntime runtime;

    private TornadoRuntimeProvider() {
    }

    public static synchronized TornadoRuntime getTornadoRuntime() {
        if (runtime == null) {
            runtime = new EngineRuntime();
        }
        return runtime;
    }

    public static boolean isProfilerEnabled() {
        return getTornadoRuntime().isProfilerEnabled();
    }

    public static void setProperty(String key, String value) {
        System.setProperty(key, value);
    }

    public static String getProperty(String key, String defaultValue) {
        return System.getProperty(key, defaultValue);
    }

    public static String getProperty(String key) {
        return System.getProperty(key);
    }
}
