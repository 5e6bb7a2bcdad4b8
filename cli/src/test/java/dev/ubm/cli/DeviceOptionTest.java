package dev.ubm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ubm.data.synth.SynthConfig;
import dev.ubm.data.synth.SyntheticWorld;
import dev.ubm.nn.Engines;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --device} on the four commands that train: one mixin, one switch in nn's Engines. */
@Tag("torch")
class DeviceOptionTest {
    @TempDir
    Path tmp;

    private List<String[]> commands(String device) {
        String d = tmp.resolve("data").toString();
        String e = tmp.resolve("emb").toString();
        return List.of(
                new String[] {"encode", "seq", "--data-dir", d, "--embeddings-dir", e, "--device", device},
                new String[] {"encode", "dcn", "--data-dir", d, "--features", e, "--embeddings-dir", e, "--device",
                    device},
                new String[] {"probe", "--data-dir", d, "--embeddings-dir", e, "--score-dir", e, "--device", device},
                new String[] {"ablate", "--data-dir", d, "--blocks", "a=" + e, "--device", device});
    }

    @Test
    void gpuWithoutAUsableGpuExits2WithTheSetupRecipeOnEveryTrainingCommand() {
        assumeTrue(Engines.gpuProblem() != null, "this machine has a usable GPU");
        for (String[] args : commands("gpu")) {
            CliRunner.Result r = CliRunner.run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains("--device gpu: no usable GPU"), r.err());
            assertTrue(r.err().contains("PYTORCH_LIBRARY_PATH") && r.err().contains("PYTORCH_VERSION=2.7.1")
                    && r.err().contains("PYTORCH_FLAVOR=cu128") && r.err().contains("docs/gpu.md"), r.err());
        }
    }

    @Test
    void autoWithoutAGpuPicksTheCpuAndSaysSoWhenTrainingStarts() {
        assumeTrue(Engines.gpuProblem() != null, "this machine has a usable GPU");
        // bad input: the command stops before training, so nothing is said about the device
        CliRunner.Result bad = CliRunner.run(commands("auto").get(0));
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("[ERROR]") && !bad.err().contains("device:"), bad.err());
        Path data = tmp.resolve("world");
        SyntheticWorld.generate(SynthConfig.tiny(3), data);
        CliRunner.Result r = CliRunner.run("encode", "seq", "--data-dir", data.toString(), "--embeddings-dir",
                tmp.resolve("seq").toString(), "--epochs", "1", "--dim", "16", "--layers", "1", "--heads", "2",
                "--max-len", "16", "--hash-buckets", "4096", "--hash-dim", "8", "--quiet", "--device", "auto");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("device: auto -> cpu (") && r.err().contains("sees no CUDA device")
                && r.err().contains("docs/gpu.md"), r.err());
    }

    @Test
    void anUnknownDeviceExits2() {
        CliRunner.Result r = CliRunner.run(commands("tpu").get(2));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--device must be cpu, gpu or auto, got 'tpu'"), r.err());
    }
}
