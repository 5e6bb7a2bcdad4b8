package dev.ubm.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * Engine and device setup in one place: loads the PyTorch engine (offline), picks the GPU when one is present
 * (override with {@code -Dubm.device=cpu|gpu}), and seeds every random source the engine owns.
 */
public final class Engines {
    private Engines() {
    }

    /** The PyTorch engine; loading it is what makes libtorch available. */
    public static Engine torch() {
        return Engine.getEngine("PyTorch");
    }

    /** GPU 0 when the engine sees one (and {@code ubm.device} is not {@code cpu}), else the CPU. */
    public static Device device() {
        String want = System.getProperty("ubm.device", "auto");
        Engine e = torch();
        if ("cpu".equalsIgnoreCase(want)) {
            return Device.cpu();
        }
        if (e.getGpuCount() > 0) {
            return Device.gpu();
        }
        if ("gpu".equalsIgnoreCase(want)) {
            throw new IllegalStateException("-Dubm.device=gpu was asked for, but the engine sees no GPU");
        }
        return Device.cpu();
    }

    /** A new root manager on the given device; close it (try-with-resources) to free everything it owns. */
    public static NDManager newManager(Device device) {
        return torch().newBaseManager(device);
    }

    /** Seeds the engine's generator (parameter init, dropout); the int seed is folded from the long. */
    public static void seed(long seed) {
        torch().setRandomSeed((int) (seed ^ (seed >>> 32)) & 0x7fffffff);
    }

    /** Short description for logs and block.json, e.g. {@code PyTorch 2.7.1 cpu()}. */
    public static String describe(Device device) {
        Engine e = torch();
        return e.getEngineName() + " " + e.getVersion() + " " + device;
    }
}
