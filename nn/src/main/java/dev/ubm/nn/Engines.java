package dev.ubm.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.LibUtils;

import dev.ubm.core.BadInputException;

import java.util.function.Consumer;

/**
 * Engine and device setup in one place: loads the PyTorch engine (offline), holds the one device choice every
 * trainer uses ({@link #select}, set from the CLI's {@code --device}; {@code -Dubm.device=cpu|gpu|auto} when nothing
 * selected one), and seeds every random source the engine owns.
 */
public final class Engines {
    /** What {@code --device} asks for. */
    public enum Choice {
        CPU, GPU, AUTO;

        /** {@code cpu}, {@code gpu} or {@code auto}, any case. */
        public static Choice parse(String s) {
            for (Choice c : values()) {
                if (c.name().equalsIgnoreCase(s.trim())) {
                    return c;
                }
            }
            throw new BadInputException("--device must be cpu, gpu or auto, got '" + s + "'");
        }
    }

    /** How to give ubm a GPU: the environment DJL reads to load a CUDA libtorch (see docs/gpu.md). */
    public static final String GPU_RECIPE = """
            ubm trains on a GPU with a CUDA build of libtorch 2.7.1 from a local PyTorch install, on a machine \
            with an NVIDIA driver:
              pip install torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128
              export PYTORCH_LIBRARY_PATH="$(python -c 'import torch, os; print(os.path.dirname(torch.__file__))')/lib"
              export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
            then rerun (DJL loads that libtorch, and the cu128 JNI library from the pytorch-jni jar, offline). \
            Check: nvidia-smi lists the GPU, and 'ubm encode seq ... --device gpu' prints 'training on PyTorch \
            2.7.1 gpu(0)'. Details: docs/gpu.md""";

    private static Choice chosen;
    private static Consumer<String> autoNote = s -> { };
    private static Device resolved;

    private Engines() {
    }

    /** The PyTorch engine; loading it is what makes libtorch available. */
    public static Engine torch() {
        return Engine.getEngine("PyTorch");
    }

    /**
     * Makes {@code choice} the device of every later {@link #device()} call in this process: {@code cpu};
     * {@code gpu}, checked now (it loads libtorch): when GPU 0 cannot be used this throws
     * {@link BadInputException} (exit 2) with {@link #GPU_RECIPE}; {@code auto}, resolved when a trainer first asks
     * (GPU 0 when usable, else the CPU), and then {@code note} gets one line saying what it picked and why.
     */
    public static synchronized void select(Choice choice, Consumer<String> note) {
        chosen = choice;
        autoNote = note;
        resolved = choice == Choice.AUTO ? null : resolve(choice);
    }

    /**
     * The device of this process: the one {@link #select}ed, else {@code -Dubm.device=cpu|gpu|auto} (default auto),
     * resolved on the first call.
     */
    public static synchronized Device device() {
        if (resolved == null) {
            Choice c = chosen != null ? chosen : Choice.parse(System.getProperty("ubm.device", "auto"));
            resolved = resolve(c);
            if (c == Choice.AUTO) {
                autoNote.accept(resolved.isGpu() ? "device: auto -> " + resolved
                        : "device: auto -> cpu (" + gpuProblem() + "; for a GPU see docs/gpu.md)");
            }
        }
        return resolved;
    }

    private static Device resolve(Choice choice) {
        if (choice == Choice.CPU) {
            return Device.cpu();
        }
        String why;
        try {
            why = gpuProblem();
        } catch (RuntimeException ex) {
            if (choice != Choice.GPU) {
                throw ex;
            }
            why = "libtorch did not load: " + ex.getMessage(); // e.g. PYTORCH_* set to a missing or other build
        }
        if (why == null) {
            return Device.gpu();
        }
        if (choice == Choice.GPU) {
            throw new BadInputException("--device gpu: no usable GPU (" + why + ").\n" + GPU_RECIPE);
        }
        return Device.cpu();
    }

    /** Why GPU 0 cannot be used (no GPU visible, or libtorch built without CUDA), or null when it can. */
    public static String gpuProblem() {
        Engine e = torch();
        if (e.getGpuCount() == 0) {
            return "libtorch " + libtorch() + " sees no CUDA device";
        }
        try (NDManager m = e.newBaseManager(Device.gpu())) {
            m.zeros(new Shape(1)).toFloatArray();
            return null;
        } catch (RuntimeException ex) {
            return "the loaded libtorch " + libtorch() + " cannot use the GPU: " + ex.getMessage();
        }
    }

    /** Where the loaded libtorch comes from and its flavor (cpu, cu128...), for messages and logs. */
    public static String libtorch() {
        String flavor = System.getenv("PYTORCH_FLAVOR");
        return torch().getVersion() + " (" + (flavor == null || flavor.isBlank() ? "cpu" : flavor) + ", "
                + LibUtils.getLibtorchPath() + ")";
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
